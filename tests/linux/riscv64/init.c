// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * PID 1 of keel's riscv64 Linux guests (Debian 12 has no riscv64 busybox), a
 * static program. Like tests/linux/arm64/init it checks from inside what keel
 * gave the VM, against the kernel command line:
 *   keel.vcpus=N keel.mem_mib=M   vCPUs and memory the partition file gives it
 *   keel.input=WORD               the line the test types into its console
 *   keel.reboot=1                 on the first boot (/chosen/keel,boot-count 1) reboot at once
 *                                 (SBI SRST: keel reloads the VM), check on the second
 *   keel.test=1                   power off after the verdict (scenarios);
 *                                 without it a small command loop starts
 * and prints one verdict line, "PASS linux-guest ..." or "FAIL linux-guest: ...".
 */
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/reboot.h>

static char name[64] = "?", fails[512];

static void __attribute__((format(printf, 1, 2))) fail(const char *fmt, ...)
{
	char msg[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s: check failed: %s\n", name, msg);
	strncat(fails, " ", sizeof(fails) - strlen(fails) - 1);
	strncat(fails, msg, sizeof(fails) - strlen(fails) - 1);
	strncat(fails, ";", sizeof(fails) - strlen(fails) - 1);
}

static size_t read_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "r");
	size_t n = 0;

	if (f) {
		n = fread(buf, 1, size - 1, f);
		fclose(f);
	}
	buf[n] = '\0';
	return n;
}

/* keel.<key>=value from /proc/cmdline (the last one wins), or "" */
static const char *arg(const char *key)
{
	static char cmdline[1024], val[8][128];
	static int used;
	char pat[64], *p, *q;

	read_file("/proc/cmdline", cmdline, sizeof(cmdline));
	snprintf(pat, sizeof(pat), "keel.%s=", key);
	char *last = NULL;

	for (p = cmdline; (p = strstr(p, pat)); p++)
		if (p == cmdline || p[-1] == ' ')
			last = p + strlen(pat);
	if (!last || used == 8)
		return "";
	q = val[used++];
	for (size_t i = 0; i < 127 && last[i] && last[i] != ' ' && last[i] != '\n'; i++, q++)
		*q = last[i];
	*q = '\0';
	return val[used - 1];
}

static long timer_irqs(void)
{
	static char buf[8192];
	long total = 0;

	read_file("/proc/interrupts", buf, sizeof(buf));
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strstr(line, "riscv-timer"))
			continue;
		char *p = strchr(line, ':');

		for (p = p ? p + 1 : line;;) {
			char *end;
			long v = strtol(p, &end, 10);

			if (end == p)
				break;
			total += v;
			p = end;
		}
	}
	return total;
}

static long now_cs(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 100 + ts.tv_nsec / 10000000;
}

static void shell(void)
{
	char line[256], buf[4096];

	printf("%s: keel test shell: cat FILE, ls DIR, echo TEXT, poweroff; "
	       "Ctrl-] moves keel's console input to the next VM\n",
	       name);
	for (;;) {
		printf("%s# ", name);
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			break;
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, "cat ", 4)) {
			read_file(line + 4, buf, sizeof(buf));
			fputs(buf, stdout);
		} else if (!strncmp(line, "ls", 2)) {
			DIR *d = opendir(line[2] == ' ' ? line + 3 : "/");
			struct dirent *e;

			while (d && (e = readdir(d)))
				printf("%s ", e->d_name);
			printf("\n");
			if (d)
				closedir(d);
		} else if (!strncmp(line, "echo ", 5)) {
			printf("%s\n", line + 5);
		} else if (!strcmp(line, "poweroff")) {
			break;
		} else if (line[0]) {
			printf("commands: cat FILE, ls DIR, echo TEXT, poweroff\n");
		}
	}
	reboot(RB_POWER_OFF);
}

int main(void)
{
	static char buf[8192];
	long vcpus, mem_mib, ncpu = 0, total_kib = 0;
	const char *input, *p;

	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	read_file("/sys/firmware/devicetree/base/model", name, sizeof(name));
	vcpus = atol(arg("vcpus"));
	mem_mib = atol(arg("mem_mib"));
	input = arg("input");

	unsigned char bc[4] = { 0 };
	FILE *f = fopen("/sys/firmware/devicetree/base/chosen/keel,boot-count", "r");

	if (f) {
		if (fread(bc, 1, 4, f) != 4)
			bc[3] = 0;
		fclose(f);
	}
	if (!strcmp(arg("reboot"), "1") && bc[3] == 1 && !bc[2]) {
		printf("%s: boot 1, rebooting\n", name);
		reboot(RB_AUTOBOOT);
	}
	if (bc[3] > 1 || bc[2])
		printf("%s: boot %u\n", name, (unsigned)bc[2] << 8 | bc[3]);

	/* vCPUs: /proc/cpuinfo, and all of them online */
	read_file("/proc/cpuinfo", buf, sizeof(buf));
	for (p = buf; (p = strstr(p, "processor")); p++)
		if (p == buf || p[-1] == '\n')
			ncpu++;
	char online[32], want[32], off[32];

	read_file("/sys/devices/system/cpu/online", online, sizeof(online));
	online[strcspn(online, "\n")] = '\0';
	printf("%s: %ld CPUs in /proc/cpuinfo, online %s\n", name, ncpu, online);
	if (ncpu != vcpus)
		fail("cpuinfo shows %ld CPUs, expected %ld", ncpu, vcpus);
	snprintf(want, sizeof(want), vcpus > 1 ? "0-%ld" : "0", vcpus - 1);
	if (strcmp(online, want))
		fail("online CPUs %s", online);

	/* CPU hotplug (SBI HSM stop, then start) where the kernel has it */
	f = fopen("/sys/devices/system/cpu/cpu1/online", "w");
	if (f) {
		fputs("0\n", f);
		fclose(f);
		read_file("/sys/devices/system/cpu/online", off, sizeof(off));
		off[strcspn(off, "\n")] = '\0';
		f = fopen("/sys/devices/system/cpu/cpu1/online", "w");
		if (f) {
			fputs("1\n", f);
			fclose(f);
		}
		read_file("/sys/devices/system/cpu/online", online, sizeof(online));
		online[strcspn(online, "\n")] = '\0';
		printf("%s: cpu1 offline: online %s; back: online %s\n", name, off, online);
		if (strcmp(off, "0") || strcmp(online, want))
			fail("cpu1 hotplug: online %s, then %s", off, online);
	}

	/* memory: MemTotal is the VM's memory minus what the kernel keeps */
	read_file("/proc/meminfo", buf, sizeof(buf));
	p = strstr(buf, "MemTotal:");
	if (p)
		total_kib = atol(p + 9);
	printf("%s: MemTotal %ld kB\n", name, total_kib);
	if (total_kib > mem_mib * 1024 || total_kib < mem_mib * 1024 * 3 / 4)
		fail("MemTotal %ld kB for a %ld MiB VM", total_kib, mem_mib);

	/* timers: sleep takes as long as the monotonic clock says, timer interrupts arrive */
	long i0 = timer_irqs(), t0 = now_cs();

	printf("%s: sleep 5 starts\n", name);
	sleep(5);
	long t1 = now_cs(), i1 = timer_irqs();

	printf("%s: sleep 5 done\n", name);
	long i2 = timer_irqs(), t2 = now_cs();

	sleep(1);
	long t3 = now_cs(), i3 = timer_irqs();
	long d5 = t1 - t0, d1 = t3 - t2;

	printf("%s: sleep 5 took %ld cs, sleep 1 took %ld cs; timer interrupts +%ld, +%ld\n", name,
	       d5, d1, i1 - i0, i3 - i2);
	if (d1 < 100 || d1 > 200)
		fail("sleep 1 took %ld cs", d1);
	if (d5 < 500 || d5 > 600)
		fail("sleep 5 took %ld cs", d5);
	if (i1 <= i0 || i3 <= i2)
		fail("no timer interrupts (%ld %ld %ld %ld)", i0, i1, i2, i3);

	/* console input: the scenario types a line (keel's Ctrl-] moves the input focus) */
	if (*input) {
		char line[128] = "";

		printf("%s: ready for input\n", name);
		if (fgets(line, sizeof(line), stdin))
			line[strcspn(line, "\n")] = '\0';
		printf("%s: got \"%s\"\n", name, line);
		if (strcmp(line, input))
			fail("read \"%s\", expected \"%s\"", line, input);
	}

	if (!fails[0])
		printf("PASS linux-guest %s: %ld vCPUs, %ld kB, sleep 1 = %ld cs\n", name, ncpu,
		       total_kib, d1);
	else
		printf("FAIL linux-guest %s:%s\n", name, fails);
	if (!strcmp(arg("test"), "1"))
		reboot(RB_POWER_OFF);
	shell();
	return 0;
}
