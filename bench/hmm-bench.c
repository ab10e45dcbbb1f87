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
 *                latency, errors.  Two more kinds: punch, where another
 *                process punches single pages out of the memfd the reads
 *                target (FALLOC_FL_PUNCH_HOLE; baseline none_shmem), and
 *                move_pages, where another thread bounces single pages
 *                between NUMA nodes 0 and 1 (skipped on one node).  -w
 *                storm_punch / storm_move_pages select them alone; -F adds
 *                their _flood cases (not in the default run: slow on TCG)
 *   victim       a thread of the same process timing each of its own CPU
 *                page faults (private memory nobody mirrors) under the
 *                mprotect and the punch storm, with and without device
 *                reads of the storm's region (path cpu, the control: a
 *                thread of the process reads it): p50/p99/max and the ratio
 *                of the two p99 (-v rounds of 2 MiB, default 200), median
 *                of -V pairs of phases (default 5) in alternating order.
 *                The victim has a CPU of its own, the rest shares another
 *                (-P: no pinning)
 *   ranges       ours with N registered ranges (one per 2 MiB window the
 *                device touched), N = 1, 10, ... up to -N (default 10000):
 *                a one-page device fault, an mprotect toggle of an
 *                unrelated page, a MADV_DONTNEED of one mirrored page;
 *                medians of -m reps (default 200); N = 0 is the CPU alone
 *   small_fault  device fault of 1, 16 and 512 absent pages (one read),
 *                anchor vs ours, medians of -f reps (default 50,20: 1 and
 *                16 pages, 512 pages)
 */
#define _GNU_SOURCE		/* memfd_create(), fallocate() */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/mempolicy.h>	/* MPOL_MF_MOVE: no libnuma in a static build */

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

static const char *json_sep(void)
{
	const char *sep = json_first ? "" : ",\n";

	json_first = 0;
	return sep;
}

/* Median, min and max of @n samples, which it sorts. */
struct fig {
	double med, min, max;
};

static struct fig figure(double *t, int n)
{
	qsort(t, n, sizeof(*t), cmpd);
	return (struct fig){ t[n / 2], t[0], t[n - 1] };
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

/*
 * One device read of [addr, addr+size) into buf; returns 0 or -errno.
 * With @faults, the device faults the driver reports it took.
 */
static int dev_read_f(enum path p, int fd, void *addr, void *buf, size_t size,
		      unsigned long long *faults)
{
	unsigned long npages = size / page_size;
	int ret;

	if (p == CPU) {
		/* The same pages read by a thread of the process itself. */
		memcpy(buf, addr, size);
		return 0;
	}
	if (p == ANCHOR) {
		struct hmm_dmirror_cmd c = {
			.addr = (uintptr_t)addr, .ptr = (uintptr_t)buf, .npages = npages,
		};

		ret = ioctl(fd, HMM_DMIRROR_READ, &c) ? -errno : 0;
		if (faults)
			*faults = c.faults;
	} else {
		struct hmm_mirror_cmd c = {
			.addr = (uintptr_t)addr, .ptr = (uintptr_t)buf, .npages = npages,
		};

		ret = ioctl(fd, HMM_MIRROR_READ, &c) ? -errno : 0;
		if (faults)
			*faults = c.faults;
	}
	return ret;
}

static int dev_read(enum path p, int fd, void *addr, void *buf, size_t size)
{
	return dev_read_f(p, fd, addr, buf, size, NULL);
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
	double mb = size / 1048576.0;
	struct fig f = figure(t, n);

	printf("%-12s %-8s %6.0f MiB  median %9.2f ms  (min %9.2f, max %9.2f)  %8.1f MiB/s%s\n",
	       wl, path, mb, f.med * 1e3, f.min * 1e3, f.max * 1e3,
	       f.med > 0 ? mb / f.med : 0, unit_note);
	if (json)
		fprintf(json, "%s {\"workload\": \"%s\", \"path\": \"%s\", \"mib\": %.0f, "
			"\"median_ms\": %.3f, \"min_ms\": %.3f, \"max_ms\": %.3f, "
			"\"mib_s\": %.1f, \"reps\": %d}",
			json_sep(), wl, path, mb, f.med * 1e3, f.min * 1e3,
			f.max * 1e3, f.med > 0 ? mb / f.med : 0, n);
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

/* Separator before the next JSON entry. */
/* Percentile @q of @n sorted samples, taken as the storm figures take it. */
static double pct(const double *t, size_t n, int q)
{
	size_t i = n * q / 100;

	return t[i < n ? i : n - 1];
}

static size_t page_round(size_t size)
{
	return (size + page_size - 1) & ~(page_size - 1);
}

/*
 * map_anon() memory that a fork()ed storm child does not inherit: fork
 * would write-protect it for copy-on-write, and the next write to it in a
 * timed loop would take a COW fault (and the device an invalidation).
 * Unmap with munmap(a, page_round(size)).
 */
static void *map_anon_nofork(size_t size)
{
	char *a = map_anon(page_round(size), 0);

	if (madvise(a, page_round(size), MADV_DONTFORK))
		perror("madvise(MADV_DONTFORK)");
	return a;
}

/* What a storm works on: private anonymous memory, or a shared memfd. */
struct region {
	char *a;
	size_t size;
	int memfd;		/* -1: private anonymous */
};

/*
 * A MAP_SHARED mapping of a new memfd, 2 MiB aligned like map_anon() (one
 * device window): the punch storm needs a file another process can map.
 */
static int map_memfd(struct region *rg, size_t size)
{
	size_t align = 2UL << 20;
	int fd = memfd_create("hmm-bench", MFD_CLOEXEC);
	char *p, *a;

	if (fd < 0) {
		perror("memfd_create");
		return -1;
	}
	if (ftruncate(fd, size)) {
		perror("ftruncate");
		goto err_close;
	}
	/* Reserve an aligned hole, then put the file in it. */
	p = mmap(NULL, size + align, PROT_NONE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED) {
		perror("mmap");
		goto err_close;
	}
	a = (char *)(((uintptr_t)p + align - 1) & ~(align - 1));
	if (mmap(a, size, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0) ==
	    MAP_FAILED) {
		perror("mmap memfd");
		munmap(p, size + align);
		goto err_close;
	}
	if (a > p)
		munmap(p, a - p);
	munmap(a + size, p + align - a);
	madvise(a, size, MADV_NOHUGEPAGE);	/* 4 KiB pages, as map_anon() */
	rg->a = a;
	rg->size = size;
	rg->memfd = fd;
	return 0;

err_close:
	close(fd);
	return -1;
}

/* A populated region of @size bytes: a memfd with @shm, else anonymous. */
static int region_alloc(struct region *rg, size_t size, int shm)
{
	if (shm) {
		if (map_memfd(rg, size))
			return -1;
	} else {
		rg->a = map_anon_nofork(size);
		rg->size = size;
		rg->memfd = -1;
	}
	populate(rg->a, size);
	return 0;
}

static void region_free(struct region *rg)
{
	munmap(rg->a, rg->size);
	if (rg->memfd >= 0)
		close(rg->memfd);
}

enum { ST_NONE, ST_MPROTECT, ST_DONTNEED, ST_PUNCH, ST_MOVE_PAGES, ST_KINDS };
static const char *const storm_name[ST_KINDS] = {
	"none", "mprotect", "dontneed", "punch", "move_pages",
};

/* Counters of the punch child, in a page it shares with the benchmark. */
struct storm_shared {
	volatile int stop;
	volatile int last_err;
	volatile unsigned long ops, errs;
};

struct storm {
	struct region *rg;
	int kind;		/* ST_* */
	long period_us;		/* between two operations, 0: none */
	volatile int stop;
	int running;
	unsigned long flips;	/* operations done */
	unsigned long op_errors;	/* operations that failed */
	int last_op_err;	/* errno of the last one */
	unsigned int seed;
	pthread_t th;
	pid_t child;		/* ST_PUNCH */
	struct storm_shared *sh;	/* ST_PUNCH */
};

static long storm_period_us = 1000;

static void sleep_us(long us)
{
	struct timespec ts = { us / 1000000, (us % 1000000) * 1000 };

	if (us)
		nanosleep(&ts, NULL);
}

static int have_node1(void)
{
	return access("/sys/devices/system/node/node1", F_OK) == 0;
}

/*
 * Move one random page of the region to the other node. Ask where it is
 * first, so that every operation really migrates it (an invalidation of
 * the page, MMU_NOTIFY_MIGRATE) rather than finding it there already.
 * Returns 0 or -errno.
 */
static int move_one(struct storm *s)
{
	size_t npages = s->rg->size / page_size;
	void *pg = s->rg->a + (rand_r(&s->seed) % npages) * page_size;
	int node, status = -1;
	long ret;

	ret = syscall(SYS_move_pages, 0, 1UL, &pg, NULL, &status, 0);
	if (ret < 0)
		return -errno;
	if (status < 0)
		return status;
	node = status == 0 ? 1 : 0;
	ret = syscall(SYS_move_pages, 0, 1UL, &pg, &node, &status, MPOL_MF_MOVE);
	if (ret < 0)
		return -errno;
	if (status < 0)
		return status;
	return ret ? -EAGAIN : 0;	/* > 0: pages left where they were */
}

static void *storm_fn(void *arg)
{
	struct storm *s = arg;
	char *a = s->rg->a;
	size_t size = s->rg->size;

	while (!s->stop) {
		int ret;

		if (s->kind == ST_MPROTECT)
			ret = mprotect(a, size, s->flips & 1 ? PROT_READ | PROT_WRITE :
							       PROT_READ) ? -errno : 0;
		else if (s->kind == ST_DONTNEED)
			ret = madvise(a, size, MADV_DONTNEED) ? -errno : 0;
		else
			ret = move_one(s);
		if (ret) {
			s->op_errors++;
			s->last_op_err = -ret;
		}
		s->flips++;
		sleep_us(s->period_us);
	}
	if (s->kind == ST_MPROTECT)
		mprotect(a, size, PROT_READ | PROT_WRITE);
	return NULL;
}

/*
 * The punch storm: another process, with a mapping of the memfd of its
 * own, punches single pages out of the file. Each punch unmaps the page
 * from every mm that maps it, ours included: invalidations the mirrored
 * mm does not cause itself, as a file shared with another process gets.
 * Only async-signal-safe calls here: the child of a fork.
 */
static void __attribute__((noreturn)) punch_child(struct storm *s, pid_t parent)
{
	struct storm_shared *sh = s->sh;
	size_t size = s->rg->size, npages = size / page_size;
	char *m;

	/* Never outlive the benchmark, however it ends. */
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(1);
	m = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, s->rg->memfd, 0);
	if (m == MAP_FAILED) {
		sh->last_err = errno;
		sh->errs++;
		_exit(1);
	}
	while (!sh->stop) {
		off_t off = (off_t)(rand_r(&s->seed) % npages) * page_size;

		if (fallocate(s->rg->memfd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
			      off, page_size)) {
			sh->last_err = errno;
			sh->errs++;
		}
		sh->ops++;
		sleep_us(s->period_us);
	}
	munmap(m, size);
	_exit(0);
}

/* ST_PUNCH forks: call it while the process has a single thread. */
static int storm_start(struct storm *s)
{
	pid_t parent = getpid();
	int ret;

	s->seed = 0x5eed + s->kind;
	if (s->kind == ST_NONE)
		return 0;
	if (s->kind != ST_PUNCH) {
		ret = pthread_create(&s->th, NULL, storm_fn, s);
		if (ret) {
			fprintf(stderr, "storm: pthread_create: %s\n", strerror(ret));
			return -1;
		}
		s->running = 1;
		return 0;
	}
	s->sh = mmap(NULL, page_size, PROT_READ | PROT_WRITE,
		     MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (s->sh == MAP_FAILED) {
		perror("storm: mmap");
		s->sh = NULL;
		return -1;
	}
	s->child = fork();
	if (s->child < 0) {
		perror("storm: fork");
		munmap(s->sh, page_size);
		s->sh = NULL;
		return -1;
	}
	if (!s->child)
		punch_child(s, parent);
	s->running = 1;
	return 0;
}

static void storm_stop(struct storm *s)
{
	if (!s->running)
		return;
	s->running = 0;
	if (s->kind != ST_PUNCH) {
		s->stop = 1;
		pthread_join(s->th, NULL);
		return;
	}
	s->sh->stop = 1;
	if (waitpid(s->child, NULL, 0) < 0)
		perror("storm: waitpid");
	s->flips = s->sh->ops;
	s->op_errors = s->sh->errs;
	s->last_op_err = s->sh->last_err;
	munmap(s->sh, page_size);
	s->sh = NULL;
}

static void storm_skipped(enum path p, const char *name, const char *why)
{
	printf("storm        %-8s %-16s skipped: %s\n", path_name[p], name, why);
	if (json)
		fprintf(json, "%s {\"workload\": \"storm_%s\", \"path\": \"%s\", \"mib\": 2, "
			"\"skipped\": \"%s\"}", json_sep(), name, path_name[p], why);
	fflush(stdout);
}

/*
 * storm: n device reads of a 2 MiB range, with no storm or one of the
 * ST_* storms on it. @shm: the range is a shared memfd (the punch storm
 * needs one, and its baseline, none_shmem, reads the same kind of memory).
 */
static void storm_workload(enum path p, int kind, int shm, int flood, int n)
{
	char name[40];
	size_t size = 2UL << 20;
	struct region rg;
	struct storm st = { .rg = &rg, .kind = kind,
			    .period_us = flood ? 0 : storm_period_us };
	struct hmm_mirror_dev_stats s0 = {}, s1 = {};
	double *t, t0, p50, p99, total;
	int i, fd, done = 0, errs = 0, last_err = 0;
	char *buf;

	snprintf(name, sizeof(name), "%s%s%s", storm_name[kind],
		 kind == ST_NONE && shm ? "_shmem" : "", flood ? "_flood" : "");
	if (kind == ST_MOVE_PAGES && !have_node1()) {
		storm_skipped(p, name, "one NUMA node (no /sys/devices/system/node/node1)");
		return;
	}
	if (region_alloc(&rg, size, shm)) {
		storm_skipped(p, name, "no memfd region (error above)");
		return;
	}
	buf = map_anon_nofork(size);
	memset(buf, 0, size);	/* as read_workload: no user faults */
	t = calloc(n, sizeof(*t));
	fd = dev_open(p);
	if (p == OURS)
		ioctl(fd, HMM_MIRROR_STATS, &s0);
	/* Still single threaded here: the punch storm forks. */
	if (storm_start(&st))
		fprintf(stderr, "storm %s %s: storm not started\n", path_name[p], name);
	total = now();
	for (i = 0; i < n; i++) {
		int ret;

		t0 = now();
		ret = dev_read(p, fd, rg.a, buf, size);
		t[i] = now() - t0;
		if (ret) {
			errs++;
			last_err = -ret;
		} else {
			done++;
		}
	}
	total = now() - total;
	storm_stop(&st);
	if (p == OURS)
		ioctl(fd, HMM_MIRROR_STATS, &s1);
	qsort(t, n, sizeof(*t), cmpd);
	p50 = pct(t, n, 50);
	p99 = pct(t, n, 99);
	printf("storm        %-8s %-16s reads %d completed %d errors %d%s%s p50 %8.2f ms p99 %8.2f ms max %8.2f ms flips %lu op_errors %lu%s%s ebusy %llu collisions %llu shrinks %llu budget_exhausted %llu\n",
	       path_name[p], name, n, done, errs, errs ? " last " : "",
	       errs ? strerror(last_err) : "", p50 * 1e3, p99 * 1e3,
	       t[n - 1] * 1e3, st.flips, st.op_errors,
	       st.op_errors ? " last " : "",
	       st.op_errors ? strerror(st.last_op_err) : "",
	       (unsigned long long)(s1.ebusy - s0.ebusy),
	       (unsigned long long)(s1.collisions - s0.collisions),
	       (unsigned long long)(s1.shrinks - s0.shrinks),
	       (unsigned long long)(s1.budget_exhausted - s0.budget_exhausted));
	if (json) {
		fprintf(json, "%s {\"workload\": \"storm_%s\", \"path\": \"%s\", \"mib\": 2, "
			"\"reads\": %d, \"completed\": %d, \"errors\": %d, "
			"\"p50_ms\": %.3f, \"p99_ms\": %.3f, \"max_ms\": %.3f, "
			"\"total_ms\": %.3f, \"flips\": %lu, \"op_errors\": %lu, "
			"\"ebusy\": %llu, \"collisions\": %llu, \"shrinks\": %llu, "
			"\"budget_exhausted\": %llu, \"own_events\": %llu, \"faults\": %llu}",
			json_sep(), name, path_name[p], n, done, errs, p50 * 1e3,
			p99 * 1e3, t[n - 1] * 1e3, total * 1e3, st.flips, st.op_errors,
			(unsigned long long)(s1.ebusy - s0.ebusy),
			(unsigned long long)(s1.collisions - s0.collisions),
			(unsigned long long)(s1.shrinks - s0.shrinks),
			(unsigned long long)(s1.budget_exhausted - s0.budget_exhausted),
			(unsigned long long)(s1.own_events - s0.own_events),
			(unsigned long long)(s1.faults - s0.faults));
	}
	fflush(stdout);
	close(fd);
	free(t);
	munmap(buf, size);
	region_free(&rg);
}

/* victim */

static int victim_rounds = 200;
static int victim_pairs = 5;	/* -V: phase pairs, reads and noreads */
static int victim_pin = 1;	/* -P: 0, let the scheduler place the threads */

/*
 * A thread of the benchmark's own process that takes CPU page faults on
 * 2 MiB of private memory that no device mirrors: store to each page,
 * timing each store alone, then MADV_DONTNEED it all, @rounds times.
 */
struct victim {
	char *a;
	size_t size;
	int rounds;
	double *t;		/* one sample per fault */
	size_t n;
	volatile int done;
};

static void *victim_fn(void *arg)
{
	struct victim *v = arg;
	size_t pages = v->size / page_size;

	for (int r = 0; r < v->rounds; r++) {
		for (size_t i = 0; i < pages; i++) {
			volatile char *c = v->a + i * page_size;
			double t0 = now();

			*c = 1;
			v->t[v->n++] = now() - t0;
		}
		madvise(v->a, v->size, MADV_DONTNEED);
	}
	v->done = 1;
	return NULL;
}

struct victim_res {
	size_t samples;
	double p50, p99, max;
	unsigned long reads, read_errors, flips, op_errors;
	int cpu[2];		/* victim's CPU, everyone else's; -1: not pinned */
};

/*
 * The first two CPUs the process may run on: the victim runs alone on
 * cpu[0], the reader and the storm share cpu[1]. Unpinned, on 2 vCPUs,
 * three busy threads make the victim's p99 mostly the time it waits for a
 * CPU while the reader runs, whatever the device does; pinned, what is
 * left is what they share: locks, page tables, TLB flush IPIs.
 */
static int victim_cpus(cpu_set_t *orig, int cpu[2])
{
	int n = 0;

	if (!victim_pin || sched_getaffinity(0, sizeof(*orig), orig))
		return 0;
	for (int i = 0; i < CPU_SETSIZE && n < 2; i++)
		if (CPU_ISSET(i, orig))
			cpu[n++] = i;
	return n == 2;
}

/*
 * One phase: the storm on @rg and the victim, with device reads of @rg in
 * a loop for as long as the victim runs (@reads) or without.
 */
static int victim_phase(enum path p, int fd, struct region *rg, int kind,
			int reads, char *buf, struct victim *v,
			struct victim_res *res)
{
	struct storm st = { .rg = rg, .kind = kind, .period_us = storm_period_us };
	cpu_set_t orig, set;
	pthread_attr_t attr;
	pthread_t th;
	int ret, pinned;

	memset(res, 0, sizeof(*res));
	res->cpu[0] = res->cpu[1] = -1;
	v->n = 0;
	v->done = 0;
	pthread_attr_init(&attr);
	pinned = victim_cpus(&orig, res->cpu);
	if (!pinned) {
		res->cpu[0] = res->cpu[1] = -1;
	} else {
		/* Set before the storm starts: its thread or child inherits it. */
		CPU_ZERO(&set);
		CPU_SET(res->cpu[1], &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			perror("victim: sched_setaffinity");
		CPU_ZERO(&set);
		CPU_SET(res->cpu[0], &set);
		pthread_attr_setaffinity_np(&attr, sizeof(set), &set);
	}
	/* Before the victim thread exists: the punch storm forks. */
	ret = storm_start(&st) ? -1 : pthread_create(&th, &attr, victim_fn, v);
	if (ret) {
		if (ret > 0)
			fprintf(stderr, "victim: pthread_create: %s\n", strerror(ret));
		storm_stop(&st);
		goto out;
	}
	while (reads && !v->done) {
		if (dev_read(p, fd, rg->a, buf, rg->size))
			res->read_errors++;
		else
			res->reads++;
	}
	pthread_join(th, NULL);
	storm_stop(&st);
	qsort(v->t, v->n, sizeof(*v->t), cmpd);
	res->samples = v->n;
	res->p50 = pct(v->t, v->n, 50);
	res->p99 = pct(v->t, v->n, 99);
	res->max = v->t[v->n - 1];
	res->flips = st.flips;
	res->op_errors = st.op_errors;
out:
	if (pinned)
		sched_setaffinity(0, sizeof(orig), &orig);
	pthread_attr_destroy(&attr);
	return ret ? -1 : 0;
}

static void victim_report(enum path p, int kind, const char *phase,
			  const struct victim_res *r, double ratio, double lo,
			  double hi)
{
	printf("victim       %-8s %-10s %-8s faults %zu p50 %8.2f us p99 %8.2f us max %9.2f us device_reads %lu errors %lu flips %lu op_errors %lu cpus %d/%d\n",
	       path_name[p], storm_name[kind], phase, r->samples, r->p50 * 1e6,
	       r->p99 * 1e6, r->max * 1e6, r->reads, r->read_errors, r->flips,
	       r->op_errors, r->cpu[0], r->cpu[1]);
	if (json) {
		fprintf(json, "%s {\"workload\": \"victim_%s\", \"path\": \"%s\", \"mib\": 2, "
			"\"phase\": \"%s\", \"faults\": %zu, \"p50_us\": %.3f, "
			"\"p99_us\": %.3f, \"max_us\": %.3f, \"device_reads\": %lu, "
			"\"read_errors\": %lu, \"flips\": %lu, \"op_errors\": %lu, "
			"\"victim_cpu\": %d, \"others_cpu\": %d",
			json_sep(), storm_name[kind], path_name[p], phase, r->samples,
			r->p50 * 1e6, r->p99 * 1e6, r->max * 1e6, r->reads,
			r->read_errors, r->flips, r->op_errors, r->cpu[0], r->cpu[1]);
		if (ratio > 0)
			fprintf(json, ", \"p99_ratio\": %.3f, \"p99_ratio_min\": %.3f, "
				"\"p99_ratio_max\": %.3f, \"pairs\": %d",
				ratio, lo, hi, victim_pairs);
		fprintf(json, "}");
	}
}

/* Median of @n values; sorts them. */
static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmpd);
	return n & 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* The median phase of @n: each latency figure the median over the phases. */
static void victim_median(struct victim_res *r, int n, struct victim_res *out)
{
	double p50[n], p99[n], max[n];

	*out = r[0];
	for (int k = 0; k < n; k++) {
		p50[k] = r[k].p50;
		p99[k] = r[k].p99;
		max[k] = r[k].max;
		if (k) {
			out->samples += r[k].samples;
			out->reads += r[k].reads;
			out->read_errors += r[k].read_errors;
			out->flips += r[k].flips;
			out->op_errors += r[k].op_errors;
		}
	}
	out->p50 = median(p50, n);
	out->p99 = median(p99, n);
	out->max = median(max, n);
}

/*
 * victim: what device reads under a storm cost the rest of the process.
 * Phase "reads": storm + device reads + victim; phase "noreads": the same
 * storm and victim, the device context open and mirroring the region but
 * idle. -V pairs of phases, in alternating order, so that a slow stretch
 * of the guest does not land on one phase only. The figure is the median
 * over the pairs of p99(reads) / p99(noreads) of the victim's faults.
 */
static void victim_workload(enum path p, int kind)
{
	size_t size = 2UL << 20, nt = victim_rounds * (size / page_size);
	struct victim v = { .size = size, .rounds = victim_rounds };
	struct victim_res ri[victim_pairs], rq[victim_pairs], mi, mq;
	double ratios[victim_pairs], lo, hi, ratio;
	struct region rg;
	char *buf;
	int fd;

	if (region_alloc(&rg, size, kind == ST_PUNCH)) {
		fprintf(stderr, "victim %s %s: no region\n", path_name[p], storm_name[kind]);
		return;
	}
	v.a = map_anon_nofork(size);
	v.t = map_anon_nofork(nt * sizeof(*v.t));
	buf = map_anon_nofork(size);
	memset(buf, 0, size);
	fd = p == CPU ? -1 : dev_open(p);
	/* Mirror the region, so that the storm reaches the device in both phases. */
	if (dev_read(p, fd, rg.a, buf, size))
		fprintf(stderr, "victim %s: read failed\n", path_name[p]);
	for (int k = 0; k < victim_pairs; k++) {
		int first = !(k & 1);

		if (victim_phase(p, fd, &rg, kind, first, buf, &v,
				 first ? &ri[k] : &rq[k]) ||
		    victim_phase(p, fd, &rg, kind, !first, buf, &v,
				 first ? &rq[k] : &ri[k])) {
			fprintf(stderr, "victim %s %s: phase failed\n", path_name[p], storm_name[kind]);
			goto out;
		}
		ratios[k] = rq[k].p99 > 0 ? ri[k].p99 / rq[k].p99 : 0;
	}
	victim_median(ri, victim_pairs, &mi);
	victim_median(rq, victim_pairs, &mq);
	ratio = median(ratios, victim_pairs);
	lo = ratios[0];
	hi = ratios[victim_pairs - 1];
	victim_report(p, kind, "reads", &mi, ratio, lo, hi);
	victim_report(p, kind, "noreads", &mq, 0, 0, 0);
	printf("victim       %-8s %-10s p99 ratio reads/noreads %.2f, %d pairs, min %.2f max %.2f (target for ours <= 1.25, information only)\n",
	       path_name[p], storm_name[kind], ratio, victim_pairs, lo, hi);
	fflush(stdout);
out:
	if (fd >= 0)
		close(fd);
	munmap(buf, size);
	munmap(v.t, page_round(nt * sizeof(*v.t)));
	munmap(v.a, size);
	region_free(&rg);
}

/* ranges */

static int ranges_max = 10000;
static int ranges_reps = 200;

/*
 * @n 2 MiB windows of address space, 2 MiB aligned, nothing populated;
 * NORESERVE: 10000 windows are 20 GiB, more than the VM has.
 */
static char *reserve_windows(size_t n)
{
	size_t align = 2UL << 20, size = n * align;
	char *p = mmap(NULL, size + align, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	char *a;

	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + align - 1) & ~(align - 1));
	if (a > p)
		munmap(p, a - p);
	munmap(a + size, p + align - a);
	/* No huge zero page: one page per window stays one PTE. */
	madvise(a, size, MADV_NOHUGEPAGE);
	return a;
}

/*
 * One populated page between two PROT_NONE guards, in no device window:
 * flipping its protection never merges or splits VMAs, so a toggle costs
 * the same at every N but for the invalidation.
 */
static char *map_lone_page(void)
{
	char *g = mmap(NULL, 3 * page_size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (g == MAP_FAILED) {
		perror("mmap");
		exit(1);
	}
	if (mprotect(g + page_size, page_size, PROT_READ | PROT_WRITE)) {
		perror("mprotect");
		exit(1);
	}
	g[page_size] = 1;	/* mprotect() only invalidates what is mapped */
	return g + page_size;
}

enum { RG_FAULT, RG_MPROTECT, RG_DONTNEED, RG_OPS };
static const char *const rg_name[RG_OPS] = { "fault", "mprotect", "dontneed" };

static void ranges_report(int n, unsigned long long windows, const struct fig *f,
			  const double *base)
{
	const char *path = n ? path_name[OURS] : path_name[CPU];

	for (int op = 0; op < RG_OPS; op++) {
		double x = n && base[op] > 0 ? f[op].med / base[op] : 0;

		printf("ranges       %-8s N %5d %-9s median %9.2f us  (min %9.2f, max %9.2f)",
		       path, n, rg_name[op], f[op].med * 1e6, f[op].min * 1e6,
		       f[op].max * 1e6);
		if (x > 0)
			printf("  x%.2f of N=1", x);
		printf("\n");
		if (!json)
			continue;
		fprintf(json, "%s {\"workload\": \"ranges_%s\", \"path\": \"%s\", "
			"\"ranges\": %d, \"windows\": %llu, \"median_us\": %.3f, "
			"\"min_us\": %.3f, \"max_us\": %.3f, \"reps\": %d",
			json_sep(), rg_name[op], path, n, windows, f[op].med * 1e6,
			f[op].min * 1e6, f[op].max * 1e6, ranges_reps);
		if (x > 0)
			fprintf(json, ", \"x_n1\": %.3f", x);
		fprintf(json, "}");
	}
	fflush(stdout);
}

/*
 * ranges at one N: ours with N windows, one page mapped in each (N = 0:
 * no device, the CPU fault is the reference). Per rep: MADV_DONTNEED of
 * the mapped page of the middle window (a mirrored page: one range's hook
 * runs), a one-page device read of it (a small fault; N = 0: the CPU reads
 * it), and an mprotect toggle of @lone (an invalidation no range covers).
 */
static void ranges_one(int n, char *lone, char *buf, double *base)
{
	size_t win = 2UL << 20;
	struct hmm_mirror_dev_stats s = {};
	double *t[RG_OPS], t0, setup;
	struct fig f[RG_OPS];
	char *a = reserve_windows(n ? n : 1), *pg;
	int fd = -1, i, r, errs = 0, last_err = 0;

	if (!a) {
		fprintf(stderr, "ranges N %d: mmap of %zu MiB: %s\n", n,
			(n ? n : 1) * (win >> 20), strerror(errno));
		return;
	}
	for (i = 0; i < RG_OPS; i++)
		t[i] = calloc(ranges_reps, sizeof(double));
	pg = a + (n / 2) * win;
	setup = now();
	if (n) {
		fd = dev_open(OURS);
		for (i = 0; i < n; i++) {
			int ret = dev_map(fd, a + i * win, page_size);

			if (ret) {
				fprintf(stderr, "ranges N %d: map of window %d: %s\n",
					n, i, strerror(-ret));
				break;
			}
		}
		ioctl(fd, HMM_MIRROR_STATS, &s);
	} else {
		sink += *(volatile char *)pg;
	}
	setup = now() - setup;
	if (n && s.windows != (unsigned long long)n)
		fprintf(stderr, "ranges N %d: the device has %llu windows\n", n,
			(unsigned long long)s.windows);
	for (r = 0; r < ranges_reps; r++) {
		int ret = 0;

		t0 = now();
		madvise(pg, page_size, MADV_DONTNEED);
		t[RG_DONTNEED][r] = now() - t0;

		t0 = now();
		if (n)
			ret = dev_read(OURS, fd, pg, buf, page_size);
		else
			sink += *(volatile char *)pg;
		t[RG_FAULT][r] = now() - t0;
		if (ret) {
			errs++;
			last_err = -ret;
		}

		t0 = now();
		mprotect(lone, page_size, PROT_READ);
		mprotect(lone, page_size, PROT_READ | PROT_WRITE);
		t[RG_MPROTECT][r] = now() - t0;
	}
	if (errs)
		fprintf(stderr, "ranges N %d: %d device reads failed, last: %s\n",
			n, errs, strerror(last_err));
	for (i = 0; i < RG_OPS; i++)
		f[i] = figure(t[i], ranges_reps);
	if (n == 1)
		for (i = 0; i < RG_OPS; i++)
			base[i] = f[i].med;
	if (n) {
		printf("ranges       %-8s N %5d setup     %9.2f ms  windows %llu\n",
		       path_name[OURS], n, setup * 1e3, (unsigned long long)s.windows);
		if (json)
			fprintf(json, "%s {\"workload\": \"ranges_setup\", \"path\": \"%s\", "
				"\"ranges\": %d, \"windows\": %llu, \"setup_ms\": %.3f}",
				json_sep(), path_name[OURS], n,
				(unsigned long long)s.windows, setup * 1e3);
	}
	ranges_report(n, s.windows, f, base);
	/* Release the ranges before the unmap: else it calls every hook. */
	if (fd >= 0)
		close(fd);
	munmap(a, (n ? n : 1) * win);
	for (i = 0; i < RG_OPS; i++)
		free(t[i]);
}

static void ranges_workload(void)
{
	static const int counts[] = { 0, 1, 10, 100, 1000, 10000 };
	double base[RG_OPS] = {};
	char *lone = map_lone_page(), *buf = malloc(page_size);

	memset(buf, 0, page_size);
	for (unsigned int i = 0; i < sizeof(counts) / sizeof(counts[0]); i++)
		if (counts[i] <= ranges_max)
			ranges_one(counts[i], lone, buf, base);
	munmap(lone - page_size, 3 * page_size);
	free(buf);
}

/* small_fault */

static int sf_reps_small = 50, sf_reps_large = 20;

/*
 * small_fault: device faults of @npages absent pages: MADV_DONTNEED them,
 * then time one device read of them. The device context is set up by an
 * untimed first read (ours: its window exists), so the figure is the
 * fault alone.
 */
static void small_fault_workload(int npages, int nreps)
{
	size_t size = npages * page_size, win = 2UL << 20;
	double med[NPATHS] = {};

	for (int p = ANCHOR; p <= OURS; p++) {
		char *a = map_anon(win, 0), *buf = malloc(size);
		double *t = calloc(nreps, sizeof(*t)), t0, x;
		unsigned long long faults = 0;
		int fd = dev_open(p), errs = 0, last_err = 0;
		struct fig f;

		populate(a, win);
		memset(buf, 0, size);
		if (dev_read(p, fd, a, buf, size))
			fprintf(stderr, "small_fault %s: read failed\n", path_name[p]);
		for (int r = 0; r < nreps; r++) {
			int ret;

			madvise(a, size, MADV_DONTNEED);
			t0 = now();
			ret = dev_read_f(p, fd, a, buf, size, &faults);
			t[r] = now() - t0;
			if (ret) {
				errs++;
				last_err = -ret;
			}
		}
		f = figure(t, nreps);
		med[p] = f.med;
		x = p == OURS && med[ANCHOR] > 0 ? f.med / med[ANCHOR] : 0;
		printf("small_fault  %-8s %4d pages median %9.2f us  (min %9.2f, max %9.2f)  reps %d errors %d%s%s dev_faults %llu",
		       path_name[p], npages, f.med * 1e6, f.min * 1e6, f.max * 1e6,
		       nreps, errs, errs ? " last " : "", errs ? strerror(last_err) : "",
		       faults);
		if (x > 0)
			printf("  ours/anchor %.2f", x);
		printf("\n");
		if (json) {
			fprintf(json, "%s {\"workload\": \"small_fault\", \"path\": \"%s\", "
				"\"pages\": %d, \"median_us\": %.3f, \"min_us\": %.3f, "
				"\"max_us\": %.3f, \"reps\": %d, \"errors\": %d, "
				"\"dev_faults\": %llu",
				json_sep(), path_name[p], npages, f.med * 1e6,
				f.min * 1e6, f.max * 1e6, nreps, errs, faults);
			if (x > 0)
				fprintf(json, ", \"x_anchor\": %.3f", x);
			fprintf(json, "}");
		}
		fflush(stdout);
		close(fd);
		free(t);
		free(buf);
		munmap(a, win);
	}
}

/* The punch and move_pages storms, with the baseline each one needs. */
static void new_storms(int n, int flood)
{
	int punch = want("storm") || want("storm_punch");
	int move = want("storm") || want("storm_move_pages");

	for (int p = ANCHOR; p <= OURS && punch; p++) {
		storm_workload(p, ST_NONE, 1, 0, n);
		storm_workload(p, ST_PUNCH, 1, 0, n);
	}
	for (int p = ANCHOR; p <= OURS && move; p++) {
		/* -w storm has run it already */
		if (!want("storm"))
			storm_workload(p, ST_NONE, 0, 0, n);
		storm_workload(p, ST_MOVE_PAGES, 0, 0, n);
	}
	if (!flood)
		return;
	for (int p = ANCHOR; p <= OURS; p++) {
		if (punch)
			storm_workload(p, ST_PUNCH, 1, 1, (n + 3) / 4);
		if (move)
			storm_workload(p, ST_MOVE_PAGES, 0, 1, (n + 3) / 4);
	}
}

static int parse_int(const char *s, int min, int max, int dflt)
{
	char *end;
	long v = strtol(s, &end, 0);

	return *s && !*end && v >= min && v <= max ? (int)v : dflt;
}

int main(int argc, char **argv)
{
	size_t sizes[8] = { 4, 64 };
	int nsizes = 2, opt, threads = 2, storm_reads = 200, storm_flood = 0;

	page_size = sysconf(_SC_PAGESIZE);
	while ((opt = getopt(argc, argv, "r:s:j:t:n:p:w:v:V:PN:m:f:F")) != -1) {
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
			storm_reads = parse_int(optarg, 1, 1000000, 200);
			break;
		case 'v':
			victim_rounds = parse_int(optarg, 1, 10000, 200);
			break;
		case 'V':
			victim_pairs = parse_int(optarg, 1, 64, 5);
			break;
		case 'P':
			victim_pin = 0;
			break;
		case 'N':
			ranges_max = parse_int(optarg, 0, 10000, 10000);
			break;
		case 'm':
			ranges_reps = parse_int(optarg, 1, 100000, 200);
			break;
		case 'f': {
			char *comma = strchr(optarg, ',');

			if (comma)
				*comma = 0;
			sf_reps_small = parse_int(optarg, 1, 100000, 50);
			if (comma)
				sf_reps_large = parse_int(comma + 1, 1, 100000, 20);
			break;
		}
		case 'F':
			storm_flood = 1;
			break;
		default:
			fprintf(stderr, "usage: %s [-r reps] [-s MiB,MiB] [-t threads] [-n storm reads] [-p storm period us] [-F: punch/move_pages floods too] [-v victim rounds] [-P: victim unpinned] [-N max ranges] [-m ranges reps] [-f small fault reps 1-16,512] [-w wl,wl] [-j out.json]\n",
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
	for (int k = ST_NONE; k <= ST_DONTNEED && want("storm"); k++) {
		storm_workload(ANCHOR, k, 0, 0, storm_reads);
		storm_workload(OURS, k, 0, 0, storm_reads);
	}
	/* Unpaced storms: reads take 100x longer, a quarter as many. */
	for (int k = ST_MPROTECT; k <= ST_DONTNEED && want("storm"); k++) {
		storm_workload(ANCHOR, k, 0, 1, (storm_reads + 3) / 4);
		storm_workload(OURS, k, 0, 1, (storm_reads + 3) / 4);
	}
	new_storms(storm_reads, storm_flood);
	/* CPU: the control, a thread of the process reads instead of a device. */
	for (int p = CPU; p <= OURS && want("victim"); p++) {
		victim_workload(p, ST_MPROTECT);
		victim_workload(p, ST_PUNCH);
	}
	if (want("ranges"))
		ranges_workload();
	if (want("small_fault")) {
		small_fault_workload(1, sf_reps_small);
		small_fault_workload(16, sf_reps_small);
		small_fault_workload(512, sf_reps_large);
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
