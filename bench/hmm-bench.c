// SPDX-License-Identifier: GPL-2.0
/*
 * hmm-bench: the same work on three paths, in one boot.
 *   cpu    - the process touches/copies the pages itself (the limit)
 *   anchor - upstream lib/test_hmm.c, /dev/hmm_dmirror0, HMM_DMIRROR_READ
 *   ours   - lib/test_hmm_mirror.c, /dev/hmm_mirror0, HMM_MIRROR_READ
 * Each figure is the median of -r repetitions (default 5), with min/max.
 * Prints a table and, with -j FILE, every figure as JSON ("-j -": on
 * stdout between @@BENCH-JSON-BEGIN/END lines, for the host to pick up).
 *
 * Workloads (sizes from -s, MiB):
 *   first_touch  device read of unpopulated anonymous memory (fault path)
 *   populated    device read of populated memory, fresh device context
 *   reread       second device read on the same context (device TLB hit)
 *   thp          device read of populated MADV_HUGEPAGE memory
 *   munmap       munmap of a region mirrored by the device, vs not mirrored
 *   dontneed     MADV_DONTNEED of a mirrored region, vs not mirrored
 *   map          ours: map unpopulated memory in the device, no data
 *                moved (HMM_MIRROR_MAP), vs the CPU read-touching it
 *   map_populated  the same on populated memory (walk without fault)
 *   scaling      1..N threads reading disjoint ranges of one context
 *   storm        device reads of a 2 MiB range, alone and while another
 *                thread flips mprotect RW/RO or MADV_DONTNEEDs it, one
 *                operation every -p microseconds (default 1000), and as
 *                fast as it can (the _flood cases): completion, p50/p99
 *                latency, errors
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include <lib/test_hmm_uapi.h>
#include <lib/test_hmm_mirror_uapi.h>

enum path { CPU, ANCHOR, OURS, NPATHS };
static const char *path_name[NPATHS] = { "cpu", "anchor", "ours" };
static const char *path_dev[NPATHS] = { NULL, "/dev/hmm_dmirror0", "/dev/hmm_mirror0" };

static unsigned long page_size;
static int reps = 5;
static FILE *json;
static int json_first = 1;
static int json_to_stdout;

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmpd(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static int dev_open(enum path p)
{
	int fd = open(path_dev[p], O_RDWR);

	if (fd < 0) {
		fprintf(stderr, "open %s: %s\n", path_dev[p], strerror(errno));
		exit(1);
	}
	return fd;
}

/* Map [addr, addr+size) in the device without moving data (ours only). */
static int dev_map(int fd, void *addr, size_t size)
{
	struct hmm_mirror_cmd c = {
		.addr = (uintptr_t)addr, .npages = size / page_size,
	};

	return ioctl(fd, HMM_MIRROR_MAP, &c) ? -errno : 0;
}

/* One device read of [addr, addr+size) into buf; returns 0 or -errno. */
static int dev_read(enum path p, int fd, void *addr, void *buf, size_t size)
{
	unsigned long npages = size / page_size;

	if (p == ANCHOR) {
		struct hmm_dmirror_cmd c = {
			.addr = (uintptr_t)addr, .ptr = (uintptr_t)buf, .npages = npages,
		};

		return ioctl(fd, HMM_DMIRROR_READ, &c) ? -errno : 0;
	} else {
		struct hmm_mirror_cmd c = {
			.addr = (uintptr_t)addr, .ptr = (uintptr_t)buf, .npages = npages,
		};

		return ioctl(fd, HMM_MIRROR_READ, &c) ? -errno : 0;
	}
}

static void *map_anon(size_t size, int thp)
{
	size_t align = 2UL << 20;
	char *p = mmap(NULL, size + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a;

	if (p == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	a = (char *)(((uintptr_t)p + align - 1) & ~(align - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + size, p + align - a);
	if (madvise(a, size, thp ? MADV_HUGEPAGE : MADV_NOHUGEPAGE))
		; /* THP may be unavailable: the figure says what it measured */
	return a;
}

static void populate(char *a, size_t size)
{
	for (size_t i = 0; i < size; i += page_size)
		a[i] = (char)i | 1;
}

static volatile unsigned long sink;
static const char *only;	/* -w: comma separated workloads, NULL: all */

static int want(const char *wl)
{
	const char *p = only;
	size_t n = strlen(wl);

	if (!p)
		return 1;
	while ((p = strstr(p, wl))) {
		if ((p == only || p[-1] == ',') && (p[n] == ',' || !p[n]))
			return 1;
		p += n;
	}
	return 0;
}

/* The CPU doing the same work: touch (read) every page, copy it out. */
static void cpu_read(char *a, char *buf, size_t size)
{
	unsigned long s = 0;

	for (size_t i = 0; i < size; i += page_size)
		s += a[i];
	memcpy(buf, a, size);
	sink += s;
}

static void report(const char *wl, const char *path, size_t size, double *t, int n,
		   const char *unit_note)
{
	double med, mb = size / 1048576.0;

	qsort(t, n, sizeof(*t), cmpd);
	med = t[n / 2];
	printf("%-12s %-8s %6.0f MiB  median %9.2f ms  (min %9.2f, max %9.2f)  %8.1f MiB/s%s\n",
	       wl, path, mb, med * 1e3, t[0] * 1e3, t[n - 1] * 1e3,
	       med > 0 ? mb / med : 0, unit_note);
	if (json) {
		fprintf(json, "%s {\"workload\": \"%s\", \"path\": \"%s\", \"mib\": %.0f, "
			"\"median_ms\": %.3f, \"min_ms\": %.3f, \"max_ms\": %.3f, "
			"\"mib_s\": %.1f, \"reps\": %d}",
			json_first ? "" : ",\n", wl, path, mb, med * 1e3, t[0] * 1e3,
			t[n - 1] * 1e3, med > 0 ? mb / med : 0, n);
		json_first = 0;
	}
	fflush(stdout);
}

/* first_touch / populated / reread / thp on one path. */
static void read_workload(const char *wl, enum path p, size_t size)
{
	double t[64];
	char *buf = malloc(size);
	int r;

	memset(buf, 0, size);
	for (r = 0; r < reps; r++) {
		int thp = !strcmp(wl, "thp");
		char *a = map_anon(size, thp);
		int fd = p == CPU ? -1 : dev_open(p);
		double t0;

		if (strcmp(wl, "first_touch"))
			populate(a, size);
		if (!strcmp(wl, "reread")) {
			if (p == CPU)
				cpu_read(a, buf, size);
			else if (dev_read(p, fd, a, buf, size))
				fprintf(stderr, "%s %s: read failed\n", wl, path_name[p]);
		}
		t0 = now();
		if (p == CPU)
			cpu_read(a, buf, size);
		else if (dev_read(p, fd, a, buf, size))
			fprintf(stderr, "%s %s: read failed: %s\n", wl, path_name[p],
				strerror(errno));
		t[r] = now() - t0;
		if (fd >= 0)
			close(fd);
		munmap(a, size);
	}
	report(wl, path_name[p], size, t, reps, "");
	free(buf);
}

/* munmap / dontneed of a region mirrored by path p (CPU = not mirrored). */
static void inval_workload(const char *wl, enum path p, size_t size)
{
	double t[64];
	char *buf = malloc(size);
	int r;

	for (r = 0; r < reps; r++) {
		char *a = map_anon(size, 0);
		int fd = p == CPU ? -1 : dev_open(p);
		double t0;

		populate(a, size);
		if (p != CPU && dev_read(p, fd, a, buf, size))
			fprintf(stderr, "%s %s: read failed\n", wl, path_name[p]);
		t0 = now();
		if (!strcmp(wl, "munmap"))
			munmap(a, size);
		else
			madvise(a, size, MADV_DONTNEED);
		t[r] = now() - t0;
		if (strcmp(wl, "munmap"))
			munmap(a, size);
		if (fd >= 0)
			close(fd);
	}
	report(wl, p == CPU ? "nomirror" : path_name[p], size, t, reps, "");
	free(buf);
}

struct sthread {
	enum path p;
	int fd;
	char *a, *buf;
	size_t size;
};

static void *scale_fn(void *arg)
{
	struct sthread *s = arg;

	if (s->p == CPU)
		cpu_read(s->a, s->buf, s->size);
	else if (dev_read(s->p, s->fd, s->a, s->buf, s->size))
		fprintf(stderr, "scaling: read failed\n");
	return NULL;
}

/* n threads each read size/n of a populated region, on one context. */
static void scale_workload(enum path p, size_t size, int maxthreads)
{
	for (int n = 1; n <= maxthreads; n *= 2) {
		double t[64];
		char name[32];

		for (int r = 0; r < reps; r++) {
			char *a = map_anon(size, 0);
			char *buf = malloc(size);
			int fd = p == CPU ? -1 : dev_open(p);
			pthread_t th[16];
			struct sthread st[16];
			double t0;

			populate(a, size);
			memset(buf, 0, size);	/* as read_workload: no user faults */
			t0 = now();
			for (int i = 0; i < n; i++) {
				st[i] = (struct sthread){ p, fd, a + i * (size / n),
							  buf + i * (size / n), size / n };
				pthread_create(&th[i], NULL, scale_fn, &st[i]);
			}
			for (int i = 0; i < n; i++)
				pthread_join(th[i], NULL);
			t[r] = now() - t0;
			if (fd >= 0)
				close(fd);
			free(buf);
			munmap(a, size);
		}
		snprintf(name, sizeof(name), "scaling_t%d", n);
		report(name, path_name[p], size, t, reps, "");
	}
}

/* CPU read-touch of every page: what mapping alone costs the CPU. */
static void cpu_touch(char *a, size_t size)
{
	unsigned long s = 0;

	for (size_t i = 0; i < size; i += page_size)
		s += a[i];
	sink += s;
}

/*
 * map / map_populated: ours maps fresh (or populated) memory in the device
 * without moving data, vs the CPU touching the same pages.
 */
static void map_workload(const char *wl, enum path p, size_t size)
{
	double t[64];
	int r;

	for (r = 0; r < reps; r++) {
		char *a = map_anon(size, 0);
		int fd = p == CPU ? -1 : dev_open(p);
		double t0;

		if (strcmp(wl, "map"))
			populate(a, size);
		t0 = now();
		if (p == CPU)
			cpu_touch(a, size);
		else if (dev_map(fd, a, size))
			fprintf(stderr, "map: failed: %s\n", strerror(errno));
		t[r] = now() - t0;
		if (fd >= 0)
			close(fd);
		munmap(a, size);
	}
	report(wl, path_name[p], size, t, reps, "");
}

struct storm {
	char *a;
	size_t size;
	int kind;		/* 0 none, 1 mprotect, 2 dontneed */
	long period_us;		/* between two operations, 0: none */
	volatile int stop;
	unsigned long flips;
};

static long storm_period_us = 1000;

static void *storm_fn(void *arg)
{
	struct storm *s = arg;
	struct timespec ts = { 0, s->period_us * 1000 };

	while (!s->stop) {
		if (s->kind == 1)
			mprotect(s->a, s->size, s->flips & 1 ? PROT_READ | PROT_WRITE :
							       PROT_READ);
		else
			madvise(s->a, s->size, MADV_DONTNEED);
		s->flips++;
		if (s->period_us)
			nanosleep(&ts, NULL);
	}
	if (s->kind == 1)
		mprotect(s->a, s->size, PROT_READ | PROT_WRITE);
	return NULL;
}

/*
 * storm: n device reads of a 2 MiB range, with no storm, an mprotect storm
 * or a MADV_DONTNEED storm on it from another thread.
 */
static void storm_workload(enum path p, int kind, int flood, int n)
{
	static const char *const kname[] = { "none", "mprotect", "dontneed" };
	char name[32];
	size_t size = 2UL << 20;
	char *a = map_anon(size, 0);
	char *buf = malloc(size);
	int fd = dev_open(p);
	struct storm st = { .a = a, .size = size, .kind = kind,
			    .period_us = flood ? 0 : storm_period_us };
	struct hmm_mirror_dev_stats s0 = {}, s1 = {};
	double *t = calloc(n, sizeof(*t)), t0, p50, p99, total;
	int i, done = 0, errs = 0, last_err = 0;
	pthread_t th;

	populate(a, size);
	if (p == OURS)
		ioctl(fd, HMM_MIRROR_STATS, &s0);
	if (kind)
		pthread_create(&th, NULL, storm_fn, &st);
	total = now();
	for (i = 0; i < n; i++) {
		int ret;

		t0 = now();
		ret = dev_read(p, fd, a, buf, size);
		t[i] = now() - t0;
		if (ret) {
			errs++;
			last_err = -ret;
		} else {
			done++;
		}
	}
	total = now() - total;
	st.stop = 1;
	if (kind)
		pthread_join(th, NULL);
	if (p == OURS)
		ioctl(fd, HMM_MIRROR_STATS, &s1);
	qsort(t, n, sizeof(*t), cmpd);
	snprintf(name, sizeof(name), "%s%s", kname[kind], flood ? "_flood" : "");
	p50 = t[n / 2];
	p99 = t[(n * 99) / 100 < n ? (n * 99) / 100 : n - 1];
	printf("storm        %-8s %-14s reads %d completed %d errors %d%s%s p50 %8.2f ms p99 %8.2f ms max %8.2f ms flips %lu ebusy %llu collisions %llu escalations %llu\n",
	       path_name[p], name, n, done, errs, errs ? " last " : "",
	       errs ? strerror(last_err) : "", p50 * 1e3, p99 * 1e3,
	       t[n - 1] * 1e3, st.flips,
	       (unsigned long long)(s1.ebusy - s0.ebusy),
	       (unsigned long long)(s1.collisions - s0.collisions),
	       (unsigned long long)(s1.escalations - s0.escalations));
	if (json) {
		fprintf(json, "%s {\"workload\": \"storm_%s\", \"path\": \"%s\", \"mib\": 2, "
			"\"reads\": %d, \"completed\": %d, \"errors\": %d, "
			"\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, "
			"\"total_ms\": %.3f, \"flips\": %lu, \"ebusy\": %llu, "
			"\"collisions\": %llu, \"escalations\": %llu, \"faults\": %llu}",
			json_first ? "" : ",\n", name, path_name[p], n, done, errs, p50 * 1e3, p99 * 1e3,
			t[n - 1] * 1e3, total * 1e3, st.flips,
			(unsigned long long)(s1.ebusy - s0.ebusy),
			(unsigned long long)(s1.collisions - s0.collisions),
			(unsigned long long)(s1.escalations - s0.escalations),
			(unsigned long long)(s1.faults - s0.faults));
		json_first = 0;
	}
	fflush(stdout);
	close(fd);
	free(t);
	free(buf);
	munmap(a, size);
}

int main(int argc, char **argv)
{
	size_t sizes[8] = { 4, 64 };
	int nsizes = 2, opt, threads = 2, storm_reads = 200;

	page_size = sysconf(_SC_PAGESIZE);
	while ((opt = getopt(argc, argv, "r:s:j:t:n:p:w:")) != -1) {
		switch (opt) {
		case 'r':
			reps = atoi(optarg);
			if (reps < 1 || reps > 64)
				reps = 5;
			break;
		case 's': {
			char *tok, *save = NULL;

			nsizes = 0;
			for (tok = strtok_r(optarg, ",", &save); tok && nsizes < 8;
			     tok = strtok_r(NULL, ",", &save))
				sizes[nsizes++] = strtoul(tok, NULL, 0);
			break;
		}
		case 'j':
			json_to_stdout = !strcmp(optarg, "-");
			json = json_to_stdout ? tmpfile() : fopen(optarg, "w");
			break;
		case 't':
			threads = atoi(optarg);
			break;
		case 'w':
			only = optarg;
			break;
		case 'p':
			storm_period_us = atol(optarg);
			break;
		case 'n':
			storm_reads = atoi(optarg);
			if (storm_reads < 1)
				storm_reads = 200;
			break;
		default:
			fprintf(stderr, "usage: %s [-r reps] [-s MiB,MiB] [-t threads] [-n storm reads] [-p storm period us] [-w wl,wl] [-j out.json]\n",
				argv[0]);
			return 2;
		}
	}
	if (json)
		fprintf(json, "{\"results\": [\n");
	for (int i = 0; i < nsizes; i++) {
		size_t size = sizes[i] << 20;
		static const char *const rw[] = { "first_touch", "populated", "reread", "thp" };

		for (unsigned int w = 0; w < 4; w++)
			for (int p = 0; p < NPATHS && want(rw[w]); p++)
				read_workload(rw[w], p, size);
		for (int p = 0; p < NPATHS && want("munmap"); p++)
			inval_workload("munmap", p, size);
		for (int p = 0; p < NPATHS && want("dontneed"); p++)
			inval_workload("dontneed", p, size);
		if (want("map")) {
			map_workload("map", CPU, size);
			map_workload("map", OURS, size);
		}
		if (want("map_populated")) {
			map_workload("map_populated", CPU, size);
			map_workload("map_populated", OURS, size);
		}
	}
	for (int p = 0; p < NPATHS && want("scaling"); p++)
		scale_workload(p, sizes[nsizes - 1] << 20, threads);
	for (int k = 0; k < 3 && want("storm"); k++) {
		storm_workload(ANCHOR, k, 0, storm_reads);
		storm_workload(OURS, k, 0, storm_reads);
	}
	/* Unpaced storms: reads take 100x longer, a quarter as many. */
	for (int k = 1; k < 3 && want("storm"); k++) {
		storm_workload(ANCHOR, k, 1, (storm_reads + 3) / 4);
		storm_workload(OURS, k, 1, (storm_reads + 3) / 4);
	}
	if (json) {
		fprintf(json, "\n]}\n");
		if (json_to_stdout) {
			char line[512];

			rewind(json);
			printf("@@BENCH-JSON-BEGIN\n");
			while (fgets(line, sizeof(line), json))
				fputs(line, stdout);
			printf("@@BENCH-JSON-END\n");
		}
		fclose(json);
	}
	printf("ok 1 hmm-bench\n");
	return 0;
}
