/*
 * `nrmhub keygen`: a new Ed25519 key pair in minisign's formats, the secret
 * half unencrypted (for unattended runs) unless a password file is given.
 */
#include "commands.h"

#include "minisign.h"
#include "share_group.h"
#include "util.h"
#include "write_file.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

static void print_usage(void)
{
	printf("Usage: nrmhub keygen [-o PREFIX] [--password-file FILE] [--force]\n"
	       "Write a new Ed25519 signing key pair in minisign's formats: PREFIX.pub, the\n"
	       "public key to register with the receiver, and PREFIX.key, the secret key\n"
	       "(mode 0600).  The stock 'minisign' tool can use both.\n"
	       "\n"
	       "  -o, --output PREFIX       file name prefix (default: nrmhub); folders in it\n"
	       "                            that are missing are made, mode 0700\n"
	       "      --password-file FILE  encrypt the secret key (scrypt, as minisign does)\n"
	       "                            with the first line of FILE; default: unencrypted\n"
	       "      --force               replace existing PREFIX.pub and PREFIX.key\n"
	       "  -h, --help                show this help\n");
}

struct keygen_opts {
	const char *prefix;
	const char *password_file;
	bool force;
};

static int write_keys(const struct keygen_opts *o, struct nrm_error *err)
{
	char *password = NULL;
	size_t password_len = 0;
	if (o->password_file &&
	    nrm_ms_password_load(o->password_file, &password, &password_len, err))
		return -1;
	struct nrm_ms_pubkey pub;
	struct nrm_ms_seckey sec;
	nrm_ms_keypair(&pub, &sec);
	char *sec_text = nrm_ms_seckey_format(&sec, password, password_len, err);
	sodium_memzero(&sec, sizeof(sec));
	nrm_ms_free_secret(password);
	if (!sec_text)
		return -1;
	char *pub_text = nrm_ms_pubkey_format(&pub);
	char *pub_path = nrm_xasprintf("%s.pub", o->prefix);
	char *sec_path = nrm_xasprintf("%s.key", o->prefix);
	int rc = nrm_write_file_atomic(sec_path, 0600, sec_text, strlen(sec_text), err);
	if (rc == 0)
		rc = nrm_write_file_atomic(pub_path, 0644, pub_text, strlen(pub_text), err);
	/* The one file meant for everyone: main()'s umask keeps all else
	 * private (share_group.h), so its mode is set, not masked. */
	if (rc == 0 && chmod(pub_path, 0644) != 0)
		rc = nrm_fail(err, EX_IOERR, "%s: %s", pub_path, strerror(errno));
	if (rc == 0) {
		char id[17];
		nrm_ms_keyid(pub.keynum, id);
		printf("key ID %s: public key %s, secret key %s\n", id, pub_path, sec_path);
	}
	nrm_ms_free_secret(sec_text);
	free(pub_text);
	free(pub_path);
	free(sec_path);
	return rc;
}

static bool exists(const char *prefix, const char *ext)
{
	char *path = nrm_xasprintf("%s%s", prefix, ext);
	struct stat st;
	bool there = lstat(path, &st) == 0;
	free(path);
	return there;
}

int cmd_keygen(struct nrm_context *ctx, int argc, char **argv)
{
	(void)ctx;
	static const struct option options[] = {
		{"output", required_argument, NULL, 'o'},
		{"password-file", required_argument, NULL, 'p'},
		{"force", no_argument, NULL, 'f'},
		{"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	struct keygen_opts o = {.prefix = "nrmhub"};
	int opt;
	while ((opt = getopt_long(argc, argv, "o:h", options, NULL)) != -1) {
		switch (opt) {
		case 'o': o.prefix = optarg; break;
		case 'p': o.password_file = optarg; break;
		case 'f': o.force = true; break;
		case 'h': print_usage(); return 0;
		default: return nrm_usage_error("keygen", "unknown option");
		}
	}
	if (optind < argc)
		return nrm_usage_error("keygen", "unexpected argument '%s'", argv[optind]);
	if (!*o.prefix)
		return nrm_usage_error("keygen", "-o PREFIX is empty");
	if (!o.force && (exists(o.prefix, ".key") || exists(o.prefix, ".pub"))) {
		fprintf(stderr, "nrmhub keygen: %s.key or %s.pub already exists; not replacing a "
		        "key (use --force to replace it)\n", o.prefix, o.prefix);
		return EX_CANTCREAT;
	}
	/* -o keys/site/name: its folders, made as mkdir -p would, but private:
	 * a secret key's folder is nobody else's to enter. */
	if (nrm_mkdir_private_parents(o.prefix) != 0) {
		fprintf(stderr, "nrmhub keygen: cannot make the folders of %s: %s\n", o.prefix,
		        strerror(errno));
		return EX_CANTCREAT;
	}
	struct nrm_error err = {0};
	if (write_keys(&o, &err)) {
		fprintf(stderr, "nrmhub keygen: %s\n", err.msg);
		return err.code;
	}
	return 0;
}
