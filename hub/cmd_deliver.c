/*
 * `nrmhub deliver FILE --to URL`: sends one file the way scheduled delivery
 * does, and prints the receipt.  Useful on its own to data officers, to
 * check a receiver and its credentials before a quarter's return is due.
 */
#include "commands.h"

#include "deliver.h"
#include "util.h"

#include <getopt.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sysexits.h>

static void print_usage(void)
{
	printf("Usage: nrmhub deliver FILE --to URL [OPTION]...\n"
	       "       nrmhub deliver requeue|cancel ID [--reason TEXT]\n"
	       "Send FILE to a receiver and print the receipt: its status, time, SHA-256,\n"
	       "size, attempts and (HTTPS) the response.  URL is https://HOST/PATH (PUT),\n"
	       "sftp://USER@HOST[:PORT]/PATH or file:///FOLDER/; a URL ending in '/' is a\n"
	       "folder, where FILE keeps its name.  TLS and SSH host keys are always checked.\n"
	       "\n"
	       "      --to URL           where to send FILE (required)\n"
	       "      --ca-file F        https: trust the CA certificates in F (PEM)\n"
	       "      --cert F           https: client certificate (PEM)\n"
	       "      --key F            https: the client certificate's key (mode 0600)\n"
	       "      --ssh-key F        sftp: private key (mode 0600); F.pub if present\n"
	       "      --known-hosts F    sftp: known_hosts file holding the receiver's key\n"
	       "      --attempts N       tries in all before giving up for now (default %u)\n"
	       "      --backoff-base MS  first wait between tries (default %ld)\n"
	       "      --backoff-cap MS   longest wait between tries (default %ld)\n"
	       "      --json             print the receipt as JSON\n"
	       "  -h, --help             show this help\n"
	       "\n"
	       "requeue ID: send the site's delivery ID (as 'nrmhub status' shows it) again\n"
	       "with the next deliver job; cancel ID: never send it.  Both record who, when\n"
	       "and --reason in the store's ledger.\n"
	       "\n"
	       "Exit status: 0 delivered; 75 pending (the receiver was down or busy: try\n"
	       "again later); 76 refused (untrusted certificate or host key, HTTP 4xx,\n"
	       "login denied: a person must look); 64 usage; 66 no such FILE; 69 libcurl\n"
	       "lacks the protocol; 73 drop folder not writable; 77 a key file others can\n"
	       "read.\n",
	       NRM_RETRY_DEFAULT_ATTEMPTS, NRM_RETRY_DEFAULT_BASE_MS, NRM_RETRY_DEFAULT_CAP_MS);
}

static void print_text(const struct nrm_receipt *r)
{
	json_t *j = nrm_receipt_to_json(r);
	const char *key;
	json_t *v;
	json_object_foreach(j, key, v) {
		if (json_is_null(v))
			continue;
		if (json_is_array(v)) {
			size_t i;
			json_t *line;
			json_array_foreach(v, i, line)
				printf("%-16s %s\n", "response_header", json_string_value(line));
		} else if (json_is_string(v)) {
			printf("%-16s %s\n", key, json_string_value(v));
		} else {
			printf("%-16s %" JSON_INTEGER_FORMAT "\n", key, json_integer_value(v));
		}
	}
	json_decref(j);
}

static bool parse_long_arg(const char *opt, const char *text, long min, long max, long *out)
{
	long long v;
	if (!nrm_parse_int64(text, &v) || v < min || v > max) {
		nrm_usage_error("deliver", "%s: '%s' is not a number from %ld to %ld", opt, text, min,
		                max);
		return false;
	}
	*out = (long)v;
	return true;
}

int cmd_deliver(struct nrm_context *ctx, int argc, char **argv)
{
	if (argc > 1 && (strcmp(argv[1], "requeue") == 0 || strcmp(argv[1], "cancel") == 0))
		return nrm_deliver_queue_command(ctx, argc - 1, argv + 1);
	enum { O_TO = 256, O_CA, O_CERT, O_KEY, O_SSH_KEY, O_KNOWN_HOSTS, O_ATTEMPTS, O_BASE, O_CAP,
	       O_JSON };
	static const struct option options[] = {
		{"to", required_argument, NULL, O_TO},
		{"ca-file", required_argument, NULL, O_CA},
		{"cert", required_argument, NULL, O_CERT},
		{"key", required_argument, NULL, O_KEY},
		{"ssh-key", required_argument, NULL, O_SSH_KEY},
		{"known-hosts", required_argument, NULL, O_KNOWN_HOSTS},
		{"attempts", required_argument, NULL, O_ATTEMPTS},
		{"backoff-base", required_argument, NULL, O_BASE},
		{"backoff-cap", required_argument, NULL, O_CAP},
		{"json", no_argument, NULL, O_JSON},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct nrm_deliver_opts o;
	nrm_deliver_opts_init(&o);
	const char *url = NULL;
	bool json = false;
	long n;
	int opt;
	while ((opt = getopt_long(argc, argv, "h", options, NULL)) != -1) {
		switch (opt) {
		case O_TO: url = optarg; break;
		case O_CA: o.ca_file = optarg; break;
		case O_CERT: o.cert_file = optarg; break;
		case O_KEY: o.key_file = optarg; break;
		case O_SSH_KEY: o.ssh_key_file = optarg; break;
		case O_KNOWN_HOSTS: o.known_hosts = optarg; break;
		case O_ATTEMPTS:
			if (!parse_long_arg("--attempts", optarg, 1, 100, &n))
				return EX_USAGE;
			o.retry.attempts = (unsigned)n;
			break;
		case O_BASE:
			if (!parse_long_arg("--backoff-base", optarg, 0, 3600000, &o.retry.base_ms))
				return EX_USAGE;
			break;
		case O_CAP:
			if (!parse_long_arg("--backoff-cap", optarg, 0, 3600000, &o.retry.cap_ms))
				return EX_USAGE;
			break;
		case O_JSON: json = true; break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("deliver", "unknown option");
		}
	}
	if (optind >= argc)
		return nrm_usage_error("deliver", "no FILE given");
	if (optind + 1 < argc)
		return nrm_usage_error("deliver", "one FILE at a time");
	if (!url)
		return nrm_usage_error("deliver", "--to URL is required");
	/* Only the base given: let the cap follow it rather than refuse. */
	if (o.retry.base_ms > o.retry.cap_ms && o.retry.cap_ms == NRM_RETRY_DEFAULT_CAP_MS)
		o.retry.cap_ms = o.retry.base_ms;

	struct nrm_receipt r;
	struct nrm_error err = {0};
	int rc = nrm_deliver_file(argv[optind], url, &o, &r, &err);
	if (r.url) {
		if (json) {
			json_t *j = nrm_receipt_to_json(&r);
			char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			printf("%s\n", s);
			free(s);
			json_decref(j);
		} else {
			print_text(&r);
		}
	}
	nrm_receipt_free(&r);
	if (rc != 0 && err.code == EX_USAGE)
		return nrm_usage_error("deliver", "%s", err.msg);
	if (rc != 0) {
		fprintf(stderr, "nrmhub deliver: %s\n", err.msg);
		return err.code;
	}
	return 0;
}
