/*
 * A module whose constructor never lets dlopen() return: it aborts, or
 * (CTOR_HANG) waits forever.  Loaded into the hub it would end every
 * command, whichever format that command asks for; the registry examines it
 * in a scanner process, records it as bad and never loads it
 * (tests/e2e/plugin_registry.sh).  Each time the constructor runs it adds a
 * line to $NRM_TEST_CTOR_COUNT, when set, so a test can count the scans.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

static void count_scan(void)
{
	const char *file = getenv("NRM_TEST_CTOR_COUNT");
	int fd = file ? open(file, O_WRONLY | O_APPEND | O_CREAT, 0600) : -1;
	if (fd < 0)
		return;
	if (write(fd, "scanned\n", 8) != 8) {
		/* The test then counts one scan too few, and says so. */
	}
	close(fd);
}

__attribute__((constructor)) static void cb_ctor_abort(void)
{
	count_scan();
#ifdef CTOR_HANG
	for (;;)
		pause();
#else
	abort();
#endif
}
