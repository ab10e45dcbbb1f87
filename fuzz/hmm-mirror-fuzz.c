// SPDX-License-Identifier: GPL-2.0
/*
 * ioctl fuzzer of the hmm_mirror test device (lib/test_hmm_mirror.c).
 *
 * A tool of the hmm_mirror project, not part of the kernel series (which
 * carries the kselftests): scripts/build-selftests.sh builds it against
 * the kernel tree (kselftest.h, the device's uapi header), make check runs
 * it in the debug guest (suites/hmm-mirror-fuzz.sh) and make soak longer.
 *
 * Fuzz threads issue random valid and invalid commands to every
 * /dev/hmm_mirrorN that exists, for a bounded time: random addresses (NULL,
 * unaligned, kernel addresses, unmapped, just below the top of user space),
 * lengths (0, 1, huge, overflowing addr + len), unknown command numbers,
 * truncated and oversized argument structures, bad buffer pointers. Mutator
 * threads meanwhile mmap, munmap, mprotect, MADV_DONTNEED and fork in a
 * pool of slots whose addresses the fuzz threads pick from.
 *
 * Every call must succeed or fail with an errno that the uapi header
 * documents for it (the table below); anything else is a failure, printed
 * with the command, its fields, the seed, the thread and the iteration.
 * Every (command, errno) pair is counted and the table is printed at the
 * end. Besides the errno contract:
 *
 *  - an oracle region that no mutator touches holds a known pattern: device
 *    reads of it must succeed and return exactly the pattern, and device
 *    writes to a private slice of it must land, as the CPU sees them;
 *  - HMM_MIRROR_AUDIT finds no device entry that maps another page than the
 *    CPU does, or with more permission, during the storm and after it;
 *  - a forked child gets -EPERM from the inherited descriptors, except for
 *    HMM_MIRROR_STATS, and finds the oracle it inherited intact.
 *
 * Each thread draws from its own PRNG seeded from the seed and its index,
 * so that a thread replays the same sequence of choices with the same seed
 * and options; the interleaving with the other threads, and the addresses
 * of mutator slots mapped at that moment, are not replayed. The seed and the
 * command line that replays it are printed first:
 *
 *	hmm-mirror-fuzz -d 20 -t 4 -m 2 -s 1234
 *
 * The contract, from test_hmm_mirror_uapi.h. "fields" are the checks of its
 * EINVAL line: flags, addr page aligned, npages 1 to HMM_MIRROR_MAX_NPAGES,
 * addr + npages pages neither wrapping nor ending above the task size.
 *
 *   command    arg unreadable  bad fields       valid fields
 *   READ       EFAULT          EINVAL           0 EFAULT EINTR ENOMEM
 *   WRITE      EFAULT          EINVAL           0 EFAULT EPERM EINTR ENOMEM
 *   SNAPSHOT   EFAULT          EINVAL           0 EINTR ENOMEM
 *   AUDIT      EFAULT          EINVAL (flags)   0 EINTR ENOMEM, and no
 *                                               mismatching entry
 *   MAP        EFAULT          EINVAL           0 EFAULT EINTR ENOMEM,
 *              (flags: 0 or HMM_MIRROR_MAP_WRITE)    EPERM with MAP_WRITE
 *   STATS      EFAULT          -                0
 *   RESET      -               -                0 (no argument)
 *   HOLD_LOCK  EFAULT          EINVAL (ms not in 1..HMM_MIRROR_MAX_HOLD_MS) 0
 *   unknown    ENOTTY
 *   every command but STATS, from another mm (a forked child): EPERM
 *
 * where "unknown" is a number of type 'H' that is no command, a number of
 * another type, or a command with the size or direction field of _IOC()
 * changed (a truncated or oversized argument), the few numbers that the VFS
 * handles before the driver (FIOCLEX, FIONBIO, FIFREEZE, ...) excepted. And:
 *
 *  - 0 is not allowed when the result cannot be copied out (a read-only
 *    argument), nor when @ptr is not a user buffer of the required size
 *    (READ, WRITE, SNAPSHOT): the call must fail with EFAULT (WRITE may
 *    fail with EPERM first);
 *  - with bad fields, EFAULT is allowed besides EINVAL when a pointer is
 *    bad too;
 *  - on success, READ, WRITE, SNAPSHOT and MAP report npages in @cpages,
 *    and @cpages never exceeds npages; the device writes nothing to @ptr
 *    past the requested length; SNAPSHOT codes are HMM_MIRROR_PROT_* values;
 *  - every call returns: one still running STUCK_SECONDS after the end of
 *    the run is reported, with its fields, and fails the run.
 *
 * MAP is fuzzed when the header defines HMM_MIRROR_MAP. Only the kernel
 * ever sees bad pointers: the CPU touches its own buffers only, and device
 * writes with real data only land in memory that the test owns and does
 * not check (mutator slots, its own scratch buffer) or in the thread's own
 * oracle slice. A WRITE whose span could reach anything else gets a kernel
 * address as @ptr, which it cannot copy from.
 *
 * Options: -d seconds (10), -t fuzz threads (4), -m mutator threads (2),
 * -s seed (from the time), -v (every failure, progress, time per command).
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <linux/fiemap.h>

#include "kselftest.h"
/*
 * This is a private UAPI to the kernel test module so it isn't exported
 * in the usual include/uapi/... directory.
 */
#include <lib/test_hmm_mirror_uapi.h>
#include <mm/hmm_mirror_common.h>	/* rnd(), now(), stop, map_aligned() */
#include <mm/vm_util.h>	/* FORCE_READ(), <linux/fs.h> */

#ifndef MADV_HUGEPAGE
#define MADV_HUGEPAGE		14
#endif
#ifndef MADV_NOHUGEPAGE
#define MADV_NOHUGEPAGE		15
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE	0x100000
#endif

#define MAX_DEVICES		8
#define MAX_FUZZERS		16
#define MAX_MUTATORS		8
#define MAX_PRINTED		20
/* A call still running this long after the end is stuck. */
#define STUCK_SECONDS		120
/* Calls that take longer are reported, not failed (TCG is slow). */
#define SLOW_SECONDS		5

#define PAGE_SZ			4096UL
#define PAGE_SHIFT_		12
#define THP_SIZE		(2UL << 20)
#define THP_PAGES		(THP_SIZE / PAGE_SZ)

/* Addresses the kernel must refuse as user pointers. */
#define KERNEL_PTR		0xffff888000000000ULL
/* Nothing is ever mapped below this (mmap_min_addr). */
#define LOW_LIMIT		0x10000ULL

/* Mutator slots: NSLOTS of SLOT_SPAN bytes in one reserved arena. */
#define NSLOTS			16
#define SLOT_SPAN		(4UL << 20)
#define ARENA_SIZE		(NSLOTS * SLOT_SPAN)
#define SLOT_SMALL		64	/* pages of a small mapping, at most */

/* Oracle: shared pattern pages, then a private slice per fuzz thread. */
#define ORACLE_PAGES		256
#define SLICE_PAGES		16
#define ORACLE_SPAN		64	/* pages per oracle access, at most */

/*
 * Per fuzz thread, in one PROT_NONE area so that every buffer is followed
 * by a guard page: the scratch buffer (data of READ and WRITE, the largest
 * valid buffer: SCRATCH_PAGES caps the pages a call moves), one page of
 * snapshot codes, one page of arguments, and a read-only alias of a memfd:
 * one page of arguments and RO_PAGES of data.
 */
#define SCRATCH_PAGES		512
#define RO_PAGES		16
#define AR_SCRATCH		1
#define AR_CODES		(AR_SCRATCH + SCRATCH_PAGES + 1)
#define AR_ARG			(AR_CODES + 2)
#define AR_RO			(AR_ARG + 2)
#define AREA_PAGES		(AR_RO + 1 + RO_PAGES + 1)

/* Page aligned addresses fuzz threads also pick, in random 2 MiB windows. */
#define POOL_WINDOWS		32

/* Commands, as rows of the errno table */
enum {
	C_READ,
	C_WRITE,
	C_SNAPSHOT,
	C_AUDIT,
	C_STATS,
	C_RESET,
	C_HOLD_LOCK,
	C_MAP,
	C_BAD_H,
	C_BAD_TYPE,
	C_BAD_SIZE,
	C_BAD_DIR,
	C_CHILD_STATS,
	C_CHILD_OTHER,
	NR_CMDS
};

static const char * const cmd_names[NR_CMDS] = {
	[C_READ]	= "READ",
	[C_WRITE]	= "WRITE",
	[C_SNAPSHOT]	= "SNAPSHOT",
	[C_AUDIT]	= "AUDIT",
	[C_STATS]	= "STATS",
	[C_RESET]	= "RESET",
	[C_HOLD_LOCK]	= "HOLD_LOCK",
	[C_MAP]		= "MAP",
	[C_BAD_H]	= "unknown_nr_H",
	[C_BAD_TYPE]	= "unknown_type",
	[C_BAD_SIZE]	= "bad_size",
	[C_BAD_DIR]	= "bad_dir",
	[C_CHILD_STATS]	= "child_STATS",
	[C_CHILD_OTHER]	= "child_other",
};

/* Per mille: HOLD_LOCK and AUDIT are rare, they stall everyone else. */
static const unsigned int cmd_weights[NR_CMDS] = {
	[C_READ]	= 230,
	[C_WRITE]	= 170,
	[C_SNAPSHOT]	= 140,
	[C_AUDIT]	= 2,
	[C_STATS]	= 50,
	[C_RESET]	= 20,
	[C_HOLD_LOCK]	= 4,
#ifdef HMM_MIRROR_MAP
	[C_MAP]		= 120,
#endif
	[C_BAD_H]	= 70,
	[C_BAD_TYPE]	= 60,
	[C_BAD_SIZE]	= 70,
	[C_BAD_DIR]	= 60,
};

/* The known commands, whose size or direction bad_size/bad_dir change. */
static const unsigned int known_cmds[] = {
	HMM_MIRROR_READ, HMM_MIRROR_WRITE, HMM_MIRROR_SNAPSHOT,
	HMM_MIRROR_AUDIT, HMM_MIRROR_STATS, HMM_MIRROR_RESET,
	HMM_MIRROR_HOLD_LOCK,
#ifdef HMM_MIRROR_MAP
	HMM_MIRROR_MAP,
#endif
};

/* Numbers that are no unknown command: the device's, and the VFS's. */
static const unsigned int reserved_cmds[] = {
#ifndef HMM_MIRROR_MAP
	/* HMM_MIRROR_MAP of kernels newer than this header */
	_IOWR('H', 0x27, struct hmm_mirror_cmd),
#endif
	/* Handled by do_vfs_ioctl() before the driver sees them */
	FIOCLEX, FIONCLEX, FIONBIO, FIOASYNC, FIOQSIZE, FIONREAD,
	FIFREEZE, FITHAW, FS_IOC_FIEMAP, FIGETBSZ, FICLONE, FICLONERANGE,
	FIDEDUPERANGE, FS_IOC_GETFLAGS, FS_IOC_SETFLAGS,
	FS_IOC_FSGETXATTR, FS_IOC_FSSETXATTR,
#ifdef FS_IOC_GETFSUUID
	FS_IOC_GETFSUUID,
#endif
#ifdef FS_IOC_GETFSSYSFSPATH
	FS_IOC_GETFSSYSFSPATH,
#endif
};

/* Where the argument of the ioctl lives */
enum {
	ARG_VALID,
	ARG_UNALIGNED,
	ARG_RO,
	ARG_STRADDLE,		/* runs into a guard page */
	ARG_NULL,
	ARG_KERNEL,
	ARG_GUARD,
	NR_ARGS
};

static const char * const arg_names[NR_ARGS] = {
	"valid", "unaligned", "read-only", "straddling", "NULL", "kernel",
	"PROT_NONE",
};

static const unsigned int arg_weights[NR_ARGS] = {
	850, 40, 30, 30, 15, 20, 15,
};

/* @addr of a command */
enum {
	ADDR_SLOT,		/* a mutator slot */
	ADDR_ORACLE,		/* the shared oracle pages */
	ADDR_SLICE,		/* a private oracle slice */
	ADDR_SELF,		/* the thread's scratch buffer */
	ADDR_NULL,
	ADDR_UNALIGNED,
	ADDR_TOP,		/* just below the top of user space */
	ADDR_KERNEL,
	ADDR_POOL,		/* random page aligned */
	ADDR_RAW,		/* random 64 bits */
	NR_ADDRS
};

static const char * const addr_names[NR_ADDRS] = {
	"slot", "oracle", "slice", "scratch", "NULL", "unaligned", "top",
	"kernel", "random", "raw",
};

static const unsigned int addr_weights[NR_ADDRS] = {
	380, 100, 50, 40, 30, 60, 90, 60, 80, 20,
};

/* @npages of a command */
enum {
	NP_ZERO,
	NP_ONE,
	NP_SMALL,		/* 2 to 16 */
	NP_MEDIUM,		/* 17 to SCRATCH_PAGES */
	NP_SLOT,		/* to the end of the slot mapping, and 1 past */
	NP_MAX,			/* HMM_MIRROR_MAX_NPAGES */
	NP_MAX1,		/* HMM_MIRROR_MAX_NPAGES + 1 */
	NP_HUGE,
	NP_WRAP,		/* addr + len wraps */
	NP_TO_TOP,		/* ends at the task size, or a page past it */
	NR_NPAGES
};

static const char * const npages_names[NR_NPAGES] = {
	"0", "1", "small", "medium", "slot", "max", "max+1", "huge", "wrap",
	"to top",
};

static const unsigned int npages_weights[NR_NPAGES] = {
	40, 250, 260, 90, 120, 40, 40, 50, 40, 70,
};

/* @ptr of a command */
enum {
	PTR_VALID,		/* big enough, up to SCRATCH_PAGES */
	PTR_SMALL,		/* a few pages before a guard page */
	PTR_UNALIGNED,
	PTR_RO,			/* read-only mapping */
	PTR_SLOT,		/* a mutator slot, racing with it */
	PTR_NULL,
	PTR_KERNEL,
	PTR_GUARD,
	PTR_TOP,		/* the top user page, unmapped */
	PTR_WRAP,		/* ptr + len wraps */
	NR_PTRS
};

static const char * const ptr_names[NR_PTRS] = {
	"valid", "small", "unaligned", "read-only", "slot", "NULL", "kernel",
	"PROT_NONE", "top", "wrap",
};

static const unsigned int ptr_weights[NR_PTRS] = {
	600, 80, 50, 50, 50, 40, 40, 40, 25, 25,
};

/* Outcomes a call may have */
enum {
	RES_OK,
	RES_ENOTTY,
	RES_EFAULT,
	RES_EPERM,
	RES_EINVAL,
	RES_EINTR,
	RES_ENOMEM,
	NR_RESULTS
};

static const int result_errno[NR_RESULTS] = {
	0, ENOTTY, EFAULT, EPERM, EINVAL, EINTR, ENOMEM,
};

#define RES(x)			(1U << RES_##x)

/* Errno columns of the table; the last one takes anything above. */
#define NR_ERRNO		136

enum buf_state { BUF_OK, BUF_BAD, BUF_MAYBE };

/* One fuzzed call */
struct call {
	int cmd;
	unsigned int request;
	int dev;
	int arg_kind, addr_kind, npages_kind, ptr_kind;
	bool ptr_forced;	/* WRITE whose span may reach our memory */
	bool arg_rd, arg_wr;	/* the kernel can read, write the argument */
	enum buf_state buf;	/* @ptr vs the length the command needs */
	char *arg;
	struct hmm_mirror_cmd c;
	__u64 ms;
	long ret;
	int err;
};

struct fuzzer {
	pthread_t thread;
	unsigned int id;
	uint64_t rng;
	unsigned long iter;
	char *area;
	char *scratch;
	char *codes;
	char *argp;
	char *ro;		/* read-only alias */
	char *ro_rw;		/* writable alias of @ro */
	char *slice;
	uint64_t gen;
	unsigned long oracle_checks;
	unsigned long counts[NR_CMDS][NR_ERRNO];
	double time[NR_CMDS];	/* seconds in calls */
	double slowest[NR_CMDS];
	/* The call in progress, for the report of a call that never returns */
	struct call cur;
	double since;
	int busy;
	int done;
	bool started;
};

struct slot {
	unsigned long npages;	/* published: pages mapped at the base */
	int prot;		/* owner only */
};

enum {
	MOP_MMAP,
	MOP_MUNMAP,
	MOP_MPROTECT,
	MOP_DONTNEED,
	MOP_TOUCH,
	MOP_FORK,
	MOP_ADVISE,
	NR_MOPS
};

static const char * const mop_names[NR_MOPS] = {
	"mmap", "munmap", "mprotect", "dontneed", "touch", "fork", "madvise",
};

static const unsigned int mop_weights[NR_MOPS] = {
	150, 200, 200, 150, 200, 50, 50,
};

struct mutator {
	pthread_t thread;
	unsigned int id;
	uint64_t rng;
	char *buf;		/* SLICE_PAGES pages for children's commands */
	unsigned long ops[NR_MOPS];
	unsigned long counts[NR_CMDS][NR_ERRNO];
	double since;		/* of the fork in progress */
	int busy;
	int done;
	bool started;
};

/* Exit codes of forked children besides the errno they got */
enum {
	CHILD_BAD_ORACLE = 250,
	CHILD_POSITIVE,
};

static struct {
	unsigned int duration;
	unsigned int fuzzers;
	unsigned int mutators;
	unsigned long long seed;
	bool verbose;
} opt = {
	.duration = 10,
	.fuzzers = 4,
	.mutators = 2,
};

static int ndevs;
static int dev_fd[MAX_DEVICES];
static int dev_unit[MAX_DEVICES];
static unsigned long dev_bad_audits[MAX_DEVICES];

static uint64_t task_size;	/* end of user space, TASK_SIZE */
static uint64_t top_gap;	/* nothing is mapped in [top_gap, task_size) */
static char *arena;
static struct slot slots[NSLOTS];
static char *oracle;
static uint64_t oracle_salt;
static uint64_t pool[POOL_WINDOWS];

static struct fuzzer fuzzers[MAX_FUZZERS];
static struct mutator mutators[MAX_MUTATORS];

static int stop;
static pthread_mutex_t print_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned long contract_failures;
static unsigned long oracle_failures;
static unsigned long child_failures;
static unsigned long mutator_errors;
static unsigned long audit_failures;
static unsigned long slow_calls;

/* An index drawn with the given weights. */
static int pick(uint64_t *state, const unsigned int *weights, int n)
{
	unsigned int total = 0, r;
	int i;

	for (i = 0; i < n; i++)
		total += weights[i];
	r = rnd_below(state, total);
	for (i = 0; i < n - 1; i++) {
		if (r < weights[i])
			break;
		r -= weights[i];
	}
	return i;
}

static const char *errname(int err, char *buf, size_t len)
{
	static const struct {
		int err;
		const char *name;
	} names[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
		{ ESRCH, "ESRCH" }, { EINTR, "EINTR" }, { EIO, "EIO" },
		{ ENXIO, "ENXIO" }, { E2BIG, "E2BIG" }, { EBADF, "EBADF" },
		{ EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" }, { EACCES, "EACCES" },
		{ EFAULT, "EFAULT" }, { EBUSY, "EBUSY" }, { EEXIST, "EEXIST" },
		{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENOSPC, "ENOSPC" },
		{ ENOTTY, "ENOTTY" }, { ERANGE, "ERANGE" },
		{ EOVERFLOW, "EOVERFLOW" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ETIMEDOUT, "ETIMEDOUT" },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == err)
			return names[i].name;
	snprintf(buf, len, "errno %d", err);
	return buf;
}

static int errno_col(int err)
{
	return err >= 0 && err < NR_ERRNO ? err : NR_ERRNO - 1;
}

static void count_result(unsigned long (*counts)[NR_ERRNO], int cmd, int err)
{
	counts[cmd][errno_col(err)]++;
}

/* Report a failure; the first few of each kind, all of them with -v. */
static __printf(2, 3) void report(unsigned long *counter, const char *fmt, ...)
{
	unsigned long n;
	char msg[1024];
	va_list ap;

	n = __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
	if (n >= MAX_PRINTED && !opt.verbose)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	pthread_mutex_lock(&print_lock);
	ksft_print_msg("%s\n", msg);
	if (n == MAX_PRINTED - 1 && !opt.verbose)
		ksft_print_msg("(no more of these; -v prints them all)\n");
	pthread_mutex_unlock(&print_lock);
}

static char *slot_base(unsigned int i)
{
	return arena + i * SLOT_SPAN;
}

static unsigned long slot_npages(unsigned int i)
{
	return __atomic_load_n(&slots[i].npages, __ATOMIC_RELAXED);
}

static char *slice_of(unsigned int id)
{
	return oracle + (ORACLE_PAGES + id * SLICE_PAGES) * PAGE_SZ;
}

static uint64_t oracle_word(uint64_t va)
{
	return (va * 0x9e3779b97f4a7c15ULL) ^ oracle_salt;
}

static uint64_t slice_word(unsigned int id, uint64_t gen, uint64_t va)
{
	return (va * 0xbf58476d1ce4e5b9ULL) ^ (gen << 40) ^ ((uint64_t)id << 32) ^
	       oracle_salt;
}

/* [a, a + len) lies inside [base, base + size) */
static bool span_in(uint64_t a, uint64_t len, const void *base, uint64_t size)
{
	uint64_t b = (uintptr_t)base;

	return a >= b && len <= size && a - b <= size - len;
}

/* The EINVAL line of the header, for @addr and @npages. */
static bool span_invalid(uint64_t addr, uint64_t npages)
{
	uint64_t end;

	if (addr & (PAGE_SZ - 1) || !npages || npages > HMM_MIRROR_MAX_NPAGES)
		return true;
	end = addr + (npages << PAGE_SHIFT_);
	return end < addr || end > task_size;
}

static bool flags_invalid(int cmd, uint64_t flags)
{
#ifdef HMM_MIRROR_MAP
	if (cmd == C_MAP)
		return flags & ~(uint64_t)HMM_MIRROR_MAP_WRITE;
#endif
	return flags;
}

static bool is_known(unsigned int request)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(known_cmds); i++)
		if (known_cmds[i] == request)
			return true;
	for (i = 0; i < ARRAY_SIZE(reserved_cmds); i++)
		if (reserved_cmds[i] == request)
			return true;
	return false;
}

/* The outcomes the header allows for @cl, see the table at the top. */
static unsigned int allowed(const struct call *cl)
{
	bool fields_bad;
	unsigned int ok;

	switch (cl->cmd) {
	case C_RESET:
		return RES(OK);
	case C_STATS:
		return cl->arg_wr ? RES(OK) : RES(EFAULT);
	case C_HOLD_LOCK:
		if (!cl->arg_rd)
			return RES(EFAULT);
		return cl->ms && cl->ms <= HMM_MIRROR_MAX_HOLD_MS ? RES(OK) : RES(EINVAL);
	case C_BAD_H:
	case C_BAD_TYPE:
	case C_BAD_SIZE:
	case C_BAD_DIR:
		return RES(ENOTTY);
	}

	/* READ, WRITE, SNAPSHOT, AUDIT, MAP */
	if (!cl->arg_rd)
		return RES(EFAULT);
	fields_bad = flags_invalid(cl->cmd, cl->c.flags) ||
		     (cl->cmd != C_AUDIT && span_invalid(cl->c.addr, cl->c.npages));
	if (fields_bad) {
		ok = RES(EINVAL);
		if (cl->buf != BUF_OK || !cl->arg_wr)
			ok |= RES(EFAULT);
		return ok;
	}
	if (cl->cmd == C_AUDIT)
		return (cl->arg_wr ? RES(OK) : RES(EFAULT)) | RES(EINTR) | RES(ENOMEM);
	if (cl->cmd == C_SNAPSHOT) {
		if (cl->buf == BUF_BAD)
			return RES(EFAULT);
		ok = RES(EINTR) | RES(ENOMEM);
		if (!cl->arg_wr)
			return ok | RES(EFAULT);
		return ok | (cl->buf == BUF_OK ? RES(OK) : RES(OK) | RES(EFAULT));
	}
	ok = RES(EFAULT) | RES(EINTR) | RES(ENOMEM);
	if (cl->cmd == C_WRITE)
		ok |= RES(EPERM);
#ifdef HMM_MIRROR_MAP
	if (cl->cmd == C_MAP && cl->c.flags & HMM_MIRROR_MAP_WRITE)
		ok |= RES(EPERM);
#endif
	if (cl->buf != BUF_BAD && cl->arg_wr)
		ok |= RES(OK);
	return ok;
}

static void allowed_str(unsigned int set, char *buf, size_t len)
{
	char tmp[32];
	size_t n = 0;
	int r;

	buf[0] = '\0';
	for (r = 0; r < NR_RESULTS; r++)
		if (set & (1U << r))
			n += snprintf(buf + n, len - n, "%s%s", n ? " " : "",
				      errname(result_errno[r], tmp, sizeof(tmp)));
}

static bool is_span_cmd(int cmd)
{
	return cmd == C_READ || cmd == C_WRITE || cmd == C_SNAPSHOT ||
	       cmd == C_AUDIT || cmd == C_MAP;
}

static void describe(const struct call *cl, char *buf, size_t len)
{
	int n;

	n = snprintf(buf, len, "%s (%#x) on hmm_mirror%d, arg %s %p",
		     cmd_names[cl->cmd], cl->request, dev_unit[cl->dev],
		     arg_names[cl->arg_kind], cl->arg);
	if (is_span_cmd(cl->cmd))
		snprintf(buf + n, len - n,
			 ": addr %#llx (%s) npages %#llx (%s) ptr %#llx (%s%s) flags %#llx",
			 (unsigned long long)cl->c.addr, addr_names[cl->addr_kind],
			 (unsigned long long)cl->c.npages,
			 npages_names[cl->npages_kind],
			 (unsigned long long)cl->c.ptr, ptr_names[cl->ptr_kind],
			 cl->ptr_forced ? ", forced" : "",
			 (unsigned long long)cl->c.flags);
	else if (cl->cmd == C_HOLD_LOCK)
		snprintf(buf + n, len - n, ": ms %llu", (unsigned long long)cl->ms);
}

static void contract_fail(struct fuzzer *f, const struct call *cl,
			  const char *what)
{
	char desc[400], set[96], tmp[32];

	describe(cl, desc, sizeof(desc));
	allowed_str(allowed(cl), set, sizeof(set));
	report(&contract_failures,
	       "contract: thread %u iteration %lu (seed %llu): %s: returned %s%s%s (allowed: %s)",
	       f->id, f->iter, opt.seed, desc,
	       cl->ret > 0 ? "a positive value" : errname(cl->err, tmp, sizeof(tmp)),
	       what ? ", but " : "", what ? what : "", set);
}

/* Publish the call in progress. */
static void enter_call(struct fuzzer *f, const struct call *cl)
{
	f->cur = *cl;
	f->since = now();
	__atomic_store_n(&f->busy, 1, __ATOMIC_RELEASE);
}

/* End the call in progress, account its time, report it if slow. */
static void leave_call(struct fuzzer *f)
{
	double t = now() - f->since;
	char desc[400];

	__atomic_store_n(&f->busy, 0, __ATOMIC_RELAXED);
	f->time[f->cur.cmd] += t;
	if (t > f->slowest[f->cur.cmd])
		f->slowest[f->cur.cmd] = t;
	if (t < SLOW_SECONDS)
		return;
	describe(&f->cur, desc, sizeof(desc));
	report(&slow_calls, "slow: thread %u iteration %lu: %s: %s after %.1f s",
	       f->id, f->iter, desc, f->cur.err ? strerror(f->cur.err) : "0", t);
}

/* Arguments */

/* Place the argument of @size bytes, of which the kernel needs @need. */
static char *place_arg(struct fuzzer *f, struct call *cl, size_t need)
{
	cl->arg_rd = false;
	cl->arg_wr = false;
	switch (cl->arg_kind) {
	case ARG_VALID:
		cl->arg_rd = true;
		cl->arg_wr = true;
		return f->argp;
	case ARG_UNALIGNED:
		cl->arg_rd = true;
		cl->arg_wr = true;
		return f->argp + 1 + rnd_below(&f->rng, 63);
	case ARG_RO:
		cl->arg_rd = true;
		return f->ro + rnd_below(&f->rng, 64);
	case ARG_STRADDLE:
		return f->argp + PAGE_SZ - 1 - rnd_below(&f->rng, need - 1);
	case ARG_NULL:
		return NULL;
	case ARG_KERNEL:
		return (char *)(uintptr_t)KERNEL_PTR;
	default:
		return f->argp + PAGE_SZ;
	}
}

/* Write the argument where the CPU can, through the RW alias if need be. */
static void put_arg(struct fuzzer *f, const struct call *cl, const void *src,
		    size_t size)
{
	size_t room;

	switch (cl->arg_kind) {
	case ARG_VALID:
	case ARG_UNALIGNED:
		memcpy(cl->arg, src, size);
		break;
	case ARG_RO:
		memcpy(f->ro_rw + (cl->arg - f->ro), src, size);
		break;
	case ARG_STRADDLE:
		room = f->argp + PAGE_SZ - cl->arg;
		memcpy(cl->arg, src, room < size ? room : size);
		break;
	}
}

/* Read the argument back, if the CPU can. */
static bool get_arg(const struct call *cl, void *dst, size_t size)
{
	switch (cl->arg_kind) {
	case ARG_VALID:
	case ARG_UNALIGNED:
	case ARG_RO:
		memcpy(dst, cl->arg, size);
		return true;
	}
	return false;
}

/* Fields */

static uint64_t pick_addr(struct fuzzer *f, struct call *cl)
{
	static const uint64_t kernel[] = {
		KERNEL_PTR, 0xffffffff81000000ULL, 0xffffffffff600000ULL,
		0xfffffffffffff000ULL, 0x8000000000000000ULL,
		0xffff800000000000ULL, 0xffffffffffe00000ULL,
	};
	uint64_t *rng = &f->rng;
	unsigned long n;
	unsigned int i;

	cl->addr_kind = pick(rng, addr_weights, NR_ADDRS);
	switch (cl->addr_kind) {
	case ADDR_SLOT:
		i = rnd_below(rng, NSLOTS);
		n = slot_npages(i);
		/* The base often: whole windows, huge entries */
		if (rnd_below(rng, 3))
			n = rnd_below(rng, n + 2);
		else
			n = 0;
		return (uintptr_t)slot_base(i) + n * PAGE_SZ;
	case ADDR_ORACLE:
		return (uintptr_t)oracle + rnd_below(rng, ORACLE_PAGES) * PAGE_SZ;
	case ADDR_SLICE:
		i = rnd_below(rng, 2) ? f->id : rnd_below(rng, opt.fuzzers);
		return (uintptr_t)slice_of(i) + rnd_below(rng, SLICE_PAGES) * PAGE_SZ;
	case ADDR_SELF:
		return (uintptr_t)f->scratch + rnd_below(rng, SCRATCH_PAGES) * PAGE_SZ;
	case ADDR_NULL:
		return 0;
	case ADDR_UNALIGNED:
		return (uintptr_t)slot_base(rnd_below(rng, NSLOTS)) +
		       1 + rnd_below(rng, PAGE_SZ - 1);
	case ADDR_TOP:
		switch (rnd_below(rng, 4)) {
		case 0:
			return 0x7ffffffff000ULL;
		case 1:
			return 0x800000000000ULL - PAGE_SZ * rnd_below(rng, 5);
		case 2:
			return task_size - PAGE_SZ * rnd_below(rng, 5);
		default:
			return task_size - THP_SIZE + PAGE_SZ * rnd_below(rng, 4);
		}
	case ADDR_KERNEL:
		return kernel[rnd_below(rng, ARRAY_SIZE(kernel))];
	case ADDR_POOL:
		return pool[rnd_below(rng, POOL_WINDOWS)] +
		       rnd_below(rng, THP_PAGES) * PAGE_SZ;
	default:
		/* Rarely page aligned: each new window costs kernel memory. */
		if (!rnd_below(rng, 8))
			return rnd(rng) & (task_size - 1) & ~(PAGE_SZ - 1);
		return rnd(rng);
	}
}

static uint64_t pick_npages(struct fuzzer *f, struct call *cl)
{
	uint64_t *rng = &f->rng;
	uint64_t addr = cl->c.addr;
	unsigned long n;
	unsigned int i;

	cl->npages_kind = pick(rng, npages_weights, NR_NPAGES);
	/* The whole of a THP slot, often: huge device entries. */
	if (cl->addr_kind == ADDR_SLOT && !(addr & (THP_SIZE - 1)) &&
	    !rnd_below(rng, 4)) {
		i = (addr - (uintptr_t)arena) / SLOT_SPAN;
		if (i < NSLOTS && slot_npages(i) == THP_PAGES) {
			cl->npages_kind = NP_SLOT;
			return THP_PAGES;
		}
	}
	switch (cl->npages_kind) {
	case NP_ZERO:
		return 0;
	case NP_ONE:
		return 1;
	case NP_SMALL:
		return 2 + rnd_below(rng, 15);
	case NP_MEDIUM:
		return 17 + rnd_below(rng, SCRATCH_PAGES - 16);
	case NP_SLOT:
		for (i = 0; i < NSLOTS; i++) {
			uint64_t base = (uintptr_t)slot_base(i);

			if (addr >= base && addr < base + SLOT_SPAN) {
				n = slot_npages(i);
				if ((addr - base) / PAGE_SZ < n)
					return n - (addr - base) / PAGE_SZ +
					       rnd_below(rng, 2);
			}
		}
		return 1 + rnd_below(rng, 4);
	case NP_MAX:
		return HMM_MIRROR_MAX_NPAGES;
	case NP_MAX1:
		return HMM_MIRROR_MAX_NPAGES + 1;
	case NP_HUGE:
		switch (rnd_below(rng, 4)) {
		case 0:
			return ~0ULL;
		case 1:
			/* npages << PAGE_SHIFT is 0 */
			return 1ULL << (64 - PAGE_SHIFT_);
		case 2:
			return 1ULL << (64 - PAGE_SHIFT_ - 1);
		default:
			return rnd(rng) | 1ULL << 40;
		}
	case NP_WRAP:
		return ((0 - addr) >> PAGE_SHIFT_) + 1 + rnd_below(rng, 2);
	default:
		if (addr >= task_size)
			return 1;
		return ((task_size - addr) >> PAGE_SHIFT_) + rnd_below(rng, 2);
	}
}

/*
 * @ptr, and whether it is a buffer of the length the command needs, in
 * bytes it can write for READ and SNAPSHOT, read for WRITE.
 */
static void pick_ptr(struct fuzzer *f, struct call *cl)
{
	bool codes = cl->cmd == C_SNAPSHOT;
	bool write = cl->cmd == C_WRITE;
	uint64_t *rng = &f->rng;
	uint64_t need, cap = 0;
	char *base = codes ? f->codes : f->scratch;
	uint64_t size = codes ? PAGE_SZ : SCRATCH_PAGES * PAGE_SZ;
	unsigned int i, k;

	need = codes ? cl->c.npages : cl->c.npages << PAGE_SHIFT_;
	if (cl->c.npages > HMM_MIRROR_MAX_NPAGES)
		need = ~0ULL;
	cl->ptr_kind = pick(rng, ptr_weights, NR_PTRS);
	cl->buf = BUF_BAD;
	switch (cl->ptr_kind) {
	case PTR_VALID:
		cl->c.ptr = (uintptr_t)base;
		cap = size;
		break;
	case PTR_SMALL:
		k = codes ? 1 + rnd_below(rng, 64) :
			    (1 + rnd_below(rng, 8)) * PAGE_SZ;
		cl->c.ptr = (uintptr_t)base + size - k;
		cap = k;
		break;
	case PTR_UNALIGNED:
		k = 1 + rnd_below(rng, PAGE_SZ - 1);
		cl->c.ptr = (uintptr_t)base + k;
		cap = size - k;
		break;
	case PTR_RO:
		cl->c.ptr = (uintptr_t)f->ro + PAGE_SZ;
		cap = write ? RO_PAGES * PAGE_SZ : 0;
		break;
	case PTR_SLOT:
		/*
		 * The kernel may write all of it: keep it in the arena, and
		 * short, a snapshot of a long span creates many windows.
		 */
		i = rnd_below(rng, NSLOTS);
		if (need <= (codes ? PAGE_SZ : SLOT_SPAN) &&
		    need <= ARENA_SIZE - i * SLOT_SPAN) {
			cl->c.ptr = (uintptr_t)slot_base(i);
			cl->buf = BUF_MAYBE;
			return;
		}
		cl->ptr_kind = PTR_VALID;
		cl->c.ptr = (uintptr_t)base;
		cap = size;
		break;
	case PTR_NULL:
		cl->c.ptr = 0;
		break;
	case PTR_KERNEL:
		cl->c.ptr = KERNEL_PTR;
		break;
	case PTR_GUARD:
		cl->c.ptr = (uintptr_t)base + size;
		break;
	case PTR_TOP:
		/* Unmapped, unless the stack reaches that high. */
		cl->c.ptr = task_size - PAGE_SZ * (1 + rnd_below(rng, 2));
		if (cl->c.ptr < top_gap) {
			cl->ptr_kind = PTR_NULL;
			cl->c.ptr = 0;
		}
		break;
	default:
		cl->c.ptr = 0xfffffffffffff000ULL;
		break;
	}
	if (cap >= need)
		cl->buf = BUF_OK;
}

/*
 * A device write with real data must land in memory the test owns and
 * does not check: the arena, its scratch buffer, its own oracle slice; or
 * where nothing is ever mapped.
 */
static bool write_safe(struct fuzzer *f, const struct call *cl)
{
	uint64_t addr = cl->c.addr, len;

	if (span_invalid(addr, cl->c.npages))
		return true;
	switch (cl->ptr_kind) {
	case PTR_NULL:
	case PTR_KERNEL:
	case PTR_GUARD:
	case PTR_TOP:
	case PTR_WRAP:
		return true;
	}
	len = cl->c.npages << PAGE_SHIFT_;
	return span_in(addr, len, arena, ARENA_SIZE) ||
	       span_in(addr, len, f->slice, SLICE_PAGES * PAGE_SZ) ||
	       span_in(addr, len, f->scratch, SCRATCH_PAGES * PAGE_SZ) ||
	       (addr >= top_gap && addr + len <= task_size) ||
	       addr + len <= LOW_LIMIT;
}

static uint64_t pick_flags(struct fuzzer *f, int cmd)
{
	uint64_t *rng = &f->rng;

#ifdef HMM_MIRROR_MAP
	if (cmd == C_MAP) {
		switch (rnd_below(rng, 20)) {
		case 0:
			return rnd(rng) | 2;
		case 1:
			return HMM_MIRROR_MAP_WRITE | 1ULL << rnd_below(rng, 64);
		default:
			return rnd_below(rng, 2) ? HMM_MIRROR_MAP_WRITE : 0;
		}
	}
#endif
	switch (rnd_below(rng, 40)) {
	case 0:
		return 1;
	case 1:
		return 1ULL << rnd_below(rng, 64);
	case 2:
		return rnd(rng);
	default:
		return 0;
	}
}

/* An unknown command number */
static unsigned int pick_unknown(struct fuzzer *f, int cmd)
{
	uint64_t *rng = &f->rng;
	unsigned int req, base, size;

	do {
		base = known_cmds[rnd_below(rng, ARRAY_SIZE(known_cmds))];
		switch (cmd) {
		case C_BAD_H:
			req = _IOC(rnd_below(rng, 4), 'H',
				   rnd_below(rng, 2) ? 0x18 + rnd_below(rng, 24) :
						       rnd_below(rng, 256),
				   rnd_below(rng, 4) ? _IOC_SIZE(base) :
						       rnd_below(rng, 1 << _IOC_SIZEBITS));
			break;
		case C_BAD_TYPE:
			if (rnd_below(rng, 2))
				req = rnd(rng);
			else
				req = (base & ~(_IOC_TYPEMASK << _IOC_TYPESHIFT)) |
				      rnd_below(rng, 256) << _IOC_TYPESHIFT;
			break;
		case C_BAD_SIZE:
			switch (rnd_below(rng, 6)) {
			case 0:
				size = 0;
				break;
			case 1:
				size = _IOC_SIZE(base) - 8;
				break;
			case 2:
				size = _IOC_SIZE(base) + 8;
				break;
			case 3:
				size = _IOC_SIZE(base) - 1;
				break;
			case 4:
				size = (1 << _IOC_SIZEBITS) - 1;
				break;
			default:
				size = rnd(rng);
				break;
			}
			req = (base & ~(_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
			      (size & _IOC_SIZEMASK) << _IOC_SIZESHIFT;
			break;
		default:
			req = (base & ~(_IOC_DIRMASK << _IOC_DIRSHIFT)) |
			      rnd_below(rng, 4) << _IOC_DIRSHIFT;
			break;
		}
	} while (is_known(req));
	return req;
}

static void fill_random(struct fuzzer *f, void *p, size_t size)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < size; i += sizeof(v)) {
		v = rnd(&f->rng);
		memcpy((char *)p + i, &v, size - i < sizeof(v) ? size - i : sizeof(v));
	}
}

static bool snapshot_code_valid(uint8_t c)
{
	const uint8_t known = HMM_MIRROR_PROT_READ | HMM_MIRROR_PROT_WRITE |
			      HMM_MIRROR_PROT_PMD | HMM_MIRROR_PROT_ZERO;
	bool rd = c & HMM_MIRROR_PROT_READ, wr = c & HMM_MIRROR_PROT_WRITE;

	if (c == HMM_MIRROR_PROT_ERROR || c == HMM_MIRROR_PROT_NONE)
		return true;
	/* PUD: "not reported today" */
	if (c & ~known || rd == wr)
		return false;
	return !(c & HMM_MIRROR_PROT_ZERO) || rd;
}

#define CANARY		0xa5a5a5a5a5a5a5a5ULL

/* One random command */
static void fuzz_step(struct fuzzer *f)
{
	uint64_t *rng = &f->rng;
	struct hmm_mirror_dev_stats st;
	struct hmm_mirror_cmd back;
	unsigned int set, i;
	struct call cl = { 0 };
	char *canary = NULL;
	uint64_t cval;
	size_t need;
	int bit;

	cl.dev = rnd_below(rng, ndevs);
	cl.cmd = pick(rng, cmd_weights, C_CHILD_STATS);
	cl.arg_kind = pick(rng, arg_weights, NR_ARGS);

	switch (cl.cmd) {
	case C_READ:
		cl.request = HMM_MIRROR_READ;
		break;
	case C_WRITE:
		cl.request = HMM_MIRROR_WRITE;
		break;
	case C_SNAPSHOT:
		cl.request = HMM_MIRROR_SNAPSHOT;
		break;
	case C_AUDIT:
		cl.request = HMM_MIRROR_AUDIT;
		break;
#ifdef HMM_MIRROR_MAP
	case C_MAP:
		cl.request = HMM_MIRROR_MAP;
		break;
#endif
	case C_STATS:
		cl.request = HMM_MIRROR_STATS;
		break;
	case C_RESET:
		cl.request = HMM_MIRROR_RESET;
		break;
	case C_HOLD_LOCK:
		cl.request = HMM_MIRROR_HOLD_LOCK;
		break;
	default:
		cl.request = pick_unknown(f, cl.cmd);
		break;
	}

	if (is_span_cmd(cl.cmd)) {
		cl.c.addr = pick_addr(f, &cl);
		cl.c.npages = pick_npages(f, &cl);
		cl.c.flags = pick_flags(f, cl.cmd);
		if (cl.cmd == C_MAP || cl.cmd == C_AUDIT) {
			/* Ignored: any buffer of ours */
			cl.ptr_kind = PTR_VALID;
			cl.c.ptr = (uintptr_t)f->scratch;
			cl.buf = BUF_OK;
		} else {
			pick_ptr(f, &cl);
		}
		if (cl.cmd == C_WRITE && !write_safe(f, &cl)) {
			cl.ptr_kind = PTR_KERNEL;
			cl.ptr_forced = true;
			cl.c.ptr = KERNEL_PTR;
			cl.buf = BUF_BAD;
		}
		cl.c.faults = rnd(rng);
		cl.c.cpages = rnd(rng);
		cl.arg = place_arg(f, &cl, sizeof(cl.c));
		put_arg(f, &cl, &cl.c, sizeof(cl.c));
		/* Nothing past the requested length may change. */
		if (cl.ptr_kind == PTR_VALID && !span_invalid(cl.c.addr, cl.c.npages)) {
			need = cl.cmd == C_SNAPSHOT ? cl.c.npages :
						      cl.c.npages * PAGE_SZ;
			if (cl.cmd == C_READ && cl.c.npages < SCRATCH_PAGES)
				canary = f->scratch + need;
			if (cl.cmd == C_SNAPSHOT && need <= PAGE_SZ - sizeof(cval))
				canary = f->codes + need;
			if (canary) {
				cval = CANARY;
				memcpy(canary, &cval, sizeof(cval));
			}
		}
	} else if (cl.cmd == C_HOLD_LOCK) {
		static const __u64 bad_ms[] = {
			0, HMM_MIRROR_MAX_HOLD_MS + 1, 1ULL << 32, ~0ULL,
			1ULL << 63,
		};

		cl.ms = rnd_below(rng, 3) ? bad_ms[rnd_below(rng, ARRAY_SIZE(bad_ms))] :
					    1 + rnd_below(rng, 5);
		cl.arg = place_arg(f, &cl, sizeof(cl.ms));
		put_arg(f, &cl, &cl.ms, sizeof(cl.ms));
	} else if (cl.cmd == C_STATS) {
		cl.arg = place_arg(f, &cl, sizeof(st));
		fill_random(f, &st, sizeof(st));
		put_arg(f, &cl, &st, sizeof(st));
	} else {
		/* RESET ignores it, unknown commands must not look at it */
		cl.arg = place_arg(f, &cl, sizeof(cl.c));
		fill_random(f, &cl.c, sizeof(cl.c));
		put_arg(f, &cl, &cl.c, sizeof(cl.c));
	}

	enter_call(f, &cl);
	cl.ret = ioctl(dev_fd[cl.dev], cl.request, cl.arg);
	cl.err = cl.ret < 0 ? errno : 0;
	f->cur.err = cl.err;
	leave_call(f);
	count_result(f->counts, cl.cmd, cl.ret > 0 ? NR_ERRNO - 1 : cl.err);

	set = allowed(&cl);
	for (bit = 0; bit < NR_RESULTS; bit++)
		if (result_errno[bit] == cl.err)
			break;
	if (cl.ret > 0 || bit == NR_RESULTS || !(set & 1U << bit)) {
		contract_fail(f, &cl, NULL);
		return;
	}

	if (canary) {
		memcpy(&cval, canary, sizeof(cval));
		if (cval != CANARY)
			contract_fail(f, &cl, "wrote past the requested length");
	}
	/* The results, where the kernel could write them */
	if (!is_span_cmd(cl.cmd) || !cl.arg_wr || !get_arg(&cl, &back, sizeof(back)))
		return;
	if (cl.cmd == C_AUDIT) {
		if (!cl.err && back.faults) {
			__atomic_fetch_add(&dev_bad_audits[cl.dev], 1, __ATOMIC_RELAXED);
			report(&audit_failures,
			       "audit: thread %u iteration %lu (seed %llu): hmm_mirror%d: %llu of %llu entries are wrong",
			       f->id, f->iter, opt.seed, dev_unit[cl.dev],
			       (unsigned long long)back.faults,
			       (unsigned long long)back.cpages);
		}
		return;
	}
	if (back.cpages > cl.c.npages || (!cl.err && back.cpages != cl.c.npages)) {
		char why[64];

		snprintf(why, sizeof(why), "cpages is %llu",
			 (unsigned long long)back.cpages);
		contract_fail(f, &cl, why);
		return;
	}
	if (!cl.err && cl.cmd == C_SNAPSHOT && cl.ptr_kind == PTR_VALID) {
		for (i = 0; i < cl.c.npages; i++) {
			if (!snapshot_code_valid(f->codes[i])) {
				char why[64];

				snprintf(why, sizeof(why), "code %#x for page %u",
					 (unsigned char)f->codes[i], i);
				contract_fail(f, &cl, why);
				break;
			}
		}
	}
}

/* The oracle */

/* A valid command; counted in the table like the others. */
static int oracle_cmd(struct fuzzer *f, int dev, int cmd, unsigned int request,
		      const void *addr, void *ptr, unsigned long npages,
		      uint64_t *cpages)
{
	struct hmm_mirror_cmd *c = (struct hmm_mirror_cmd *)f->argp;
	struct call cl = { 0 };
	int err;

	memset(c, 0, sizeof(*c));
	c->addr = (uintptr_t)addr;
	c->ptr = (uintptr_t)ptr;
	c->npages = npages;
	cl.cmd = cmd;
	cl.request = request;
	cl.dev = dev;
	cl.addr_kind = ADDR_ORACLE;
	cl.npages_kind = NP_SMALL;
	cl.arg = (char *)c;
	cl.c = *c;
	enter_call(f, &cl);
	err = ioctl(dev_fd[dev], request, c) ? errno : 0;
	f->cur.err = err;
	leave_call(f);
	count_result(f->counts, cmd, err);
	*cpages = c->cpages;
	return err;
}

static __printf(2, 3) void oracle_fail(struct fuzzer *f, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report(&oracle_failures, "oracle: thread %u iteration %lu (seed %llu): %s",
	       f->id, f->iter, opt.seed, msg);
}

static bool oracle_call_ok(struct fuzzer *f, int dev, const char *what,
			   unsigned long first, unsigned long n, int err,
			   uint64_t cpages)
{
	char tmp[32];

	if (!err && cpages == n)
		return true;
	oracle_fail(f, "hmm_mirror%d: %s of %lu pages at page %lu: %s, %llu pages",
		    dev_unit[dev], what, n, first, errname(err, tmp, sizeof(tmp)),
		    (unsigned long long)cpages);
	return false;
}

/* Compare @n pages at @got with @want(va) for the pages at @va. */
static bool oracle_compare(struct fuzzer *f, int dev, const char *what,
			   const uint64_t *got, uint64_t va, unsigned long n,
			   uint64_t gen, bool shared)
{
	unsigned long w, words = n * PAGE_SZ / 8;
	uint64_t want;

	for (w = 0; w < words; w++) {
		want = shared ? oracle_word(va + w * 8) :
				slice_word(f->id, gen, va + w * 8);
		if (got[w] != want) {
			oracle_fail(f,
				    "hmm_mirror%d: %s: word %lu of page %#llx is %#llx, want %#llx",
				    dev_unit[dev], what, w % (PAGE_SZ / 8),
				    (unsigned long long)(va + w * 8) & ~(PAGE_SZ - 1),
				    (unsigned long long)got[w],
				    (unsigned long long)want);
			return false;
		}
	}
	return true;
}

static void fill_slice(struct fuzzer *f, uint64_t *dst, uint64_t va,
		       unsigned long n, uint64_t gen)
{
	unsigned long w;

	for (w = 0; w < n * PAGE_SZ / 8; w++)
		dst[w] = slice_word(f->id, gen, va + w * 8);
}

static void oracle_step(struct fuzzer *f)
{
	uint64_t *rng = &f->rng;
	int dev = rnd_below(rng, ndevs);
	unsigned long n, first, i;
	uint64_t cpages, cval, va;
	char *addr;
	int err;

	f->oracle_checks++;
	switch (rnd_below(rng, 4)) {
	case 0:
		/* The device reads exactly the pattern, and not a byte more. */
		n = 1 + rnd_below(rng, ORACLE_SPAN);
		first = rnd_below(rng, ORACLE_PAGES - n + 1);
		addr = oracle + first * PAGE_SZ;
		cval = CANARY;
		memcpy(f->scratch + n * PAGE_SZ, &cval, sizeof(cval));
		err = oracle_cmd(f, dev, C_READ, HMM_MIRROR_READ, addr, f->scratch,
				 n, &cpages);
		if (!oracle_call_ok(f, dev, "READ", first, n, err, cpages))
			return;
		if (!oracle_compare(f, dev, "READ", (uint64_t *)f->scratch,
				    (uintptr_t)addr, n, 0, true))
			return;
		memcpy(&cval, f->scratch + n * PAGE_SZ, sizeof(cval));
		if (cval != CANARY)
			oracle_fail(f, "hmm_mirror%d: READ of %lu pages wrote past them",
				    dev_unit[dev], n);
		return;
	case 1:
		/* The device writes the slice, the CPU sees it. */
		n = 1 + rnd_below(rng, SLICE_PAGES);
		first = rnd_below(rng, SLICE_PAGES - n + 1);
		addr = f->slice + first * PAGE_SZ;
		va = (uintptr_t)addr;
		f->gen++;
		fill_slice(f, (uint64_t *)f->scratch, va, n, f->gen);
		err = oracle_cmd(f, dev, C_WRITE, HMM_MIRROR_WRITE, addr, f->scratch,
				 n, &cpages);
		if (!oracle_call_ok(f, dev, "WRITE", first, n, err, cpages))
			return;
		oracle_compare(f, dev, "CPU read after a device WRITE",
			       (uint64_t *)addr, va, n, f->gen, false);
		return;
	case 2:
		/* The CPU writes the slice, the device reads it. */
		n = 1 + rnd_below(rng, SLICE_PAGES);
		first = rnd_below(rng, SLICE_PAGES - n + 1);
		addr = f->slice + first * PAGE_SZ;
		va = (uintptr_t)addr;
		f->gen++;
		fill_slice(f, (uint64_t *)addr, va, n, f->gen);
		err = oracle_cmd(f, dev, C_READ, HMM_MIRROR_READ, addr, f->scratch,
				 n, &cpages);
		if (!oracle_call_ok(f, dev, "READ", first, n, err, cpages))
			return;
		oracle_compare(f, dev, "device READ after a CPU write",
			       (uint64_t *)f->scratch, va, n, f->gen, false);
		return;
	default:
		/* Mapped and readable: never ERROR, no zero page, no PMD. */
		n = 1 + rnd_below(rng, ORACLE_PAGES);
		first = rnd_below(rng, ORACLE_PAGES - n + 1);
		addr = oracle + first * PAGE_SZ;
		err = oracle_cmd(f, dev, C_SNAPSHOT, HMM_MIRROR_SNAPSHOT, addr,
				 f->codes, n, &cpages);
		if (!oracle_call_ok(f, dev, "SNAPSHOT", first, n, err, cpages))
			return;
		for (i = 0; i < n; i++) {
			uint8_t c = f->codes[i];

			if (c != HMM_MIRROR_PROT_NONE && c != HMM_MIRROR_PROT_READ &&
			    c != HMM_MIRROR_PROT_WRITE) {
				oracle_fail(f,
					    "hmm_mirror%d: SNAPSHOT: code %#x for oracle page %lu",
					    dev_unit[dev], c, first + i);
				return;
			}
		}
		return;
	}
}

static void *fuzz_thread(void *arg)
{
	struct fuzzer *f = arg;

	while (!stopping(&stop)) {
		if (!rnd_below(&f->rng, 16))
			oracle_step(f);
		else
			fuzz_step(f);
		f->iter++;
	}
	__atomic_store_n(&f->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Mutators */

static __printf(2, 3) void mutator_error(struct mutator *m, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	report(&mutator_errors, "mutator %u: %s: %s", m->id, msg, strerror(errno));
}

static void publish(unsigned int i, unsigned long npages)
{
	__atomic_store_n(&slots[i].npages, npages, __ATOMIC_RELAXED);
}

/* A slot of @m: slots are dealt round robin to the mutators. */
static unsigned int own_slot(struct mutator *m)
{
	unsigned int per = (NSLOTS - m->id + opt.mutators - 1) / opt.mutators;

	return m->id + opt.mutators * rnd_below(&m->rng, per);
}

static void touch_slot(unsigned int i, uint64_t *rng, unsigned int count,
		       uint64_t val)
{
	struct slot *s = &slots[i];
	unsigned long n = slot_npages(i);
	char *base = slot_base(i);
	unsigned int k;

	if (!n || s->prot == PROT_NONE)
		return;
	for (k = 0; k < count; k++) {
		uint64_t *p = (uint64_t *)(base + rnd_below(rng, n) * PAGE_SZ);

		if (s->prot & PROT_WRITE)
			*p = val;
		else
			FORCE_READ(*p);
	}
}

static void map_slot(struct mutator *m, unsigned int i)
{
	unsigned long old = slot_npages(i), n;
	int flags = MAP_ANONYMOUS | MAP_FIXED;
	char *base = slot_base(i);
	bool thp = false;

	switch (rnd_below(&m->rng, 8)) {
	case 0:
	case 1:
		flags |= MAP_PRIVATE;
		break;
	case 2:
		flags |= MAP_SHARED;
		break;
	case 3:
		flags |= MAP_PRIVATE | MAP_POPULATE;
		break;
	case 4:
		flags |= MAP_SHARED | MAP_POPULATE;
		break;
	default:
		flags |= MAP_PRIVATE;
		thp = true;
		break;
	}
	n = thp ? THP_PAGES : 1 + rnd_below(&m->rng, SLOT_SMALL);
	if (mmap(base, n * PAGE_SZ, PROT_READ | PROT_WRITE, flags, -1, 0) != base) {
		mutator_error(m, "mmap of %lu pages in slot %u", n, i);
		return;
	}
	if (old > n && munmap(base + n * PAGE_SZ, (old - n) * PAGE_SZ))
		mutator_error(m, "munmap of the tail of slot %u", i);
	slots[i].prot = PROT_READ | PROT_WRITE;
	publish(i, n);
	if (thp) {
		madvise(base, THP_SIZE, MADV_HUGEPAGE);
		/* A huge page, if one is free. */
		base[0] = 1;
	}
}

/* A command for a forked child, set up by its parent. */
struct child_call {
	int cmd;
	int dev;
	unsigned int request;
	void *arg;
	struct hmm_mirror_cmd c;
	struct hmm_mirror_dev_stats st;
	__u64 ms;
};

static void pick_child_call(struct mutator *m, struct child_call *cc)
{
	static const int cmds[] = {
		C_READ, C_WRITE, C_SNAPSHOT, C_AUDIT, C_RESET, C_HOLD_LOCK,
#ifdef HMM_MIRROR_MAP
		C_MAP,
#endif
		C_BAD_H, C_STATS, C_STATS,
	};
	unsigned int i = own_slot(m);

	memset(cc, 0, sizeof(*cc));
	cc->dev = rnd_below(&m->rng, ndevs);
	cc->cmd = cmds[rnd_below(&m->rng, ARRAY_SIZE(cmds))];
	cc->c.addr = (uintptr_t)(rnd_below(&m->rng, 2) ? slot_base(i) : oracle);
	cc->c.ptr = (uintptr_t)m->buf;
	cc->c.npages = 1 + rnd_below(&m->rng, SLICE_PAGES);
	cc->ms = 1;
	cc->arg = &cc->c;
	switch (cc->cmd) {
	case C_READ:
		cc->request = HMM_MIRROR_READ;
		break;
	case C_WRITE:
		cc->request = HMM_MIRROR_WRITE;
		break;
	case C_SNAPSHOT:
		cc->request = HMM_MIRROR_SNAPSHOT;
		break;
	case C_AUDIT:
		cc->request = HMM_MIRROR_AUDIT;
		break;
#ifdef HMM_MIRROR_MAP
	case C_MAP:
		cc->request = HMM_MIRROR_MAP;
		cc->c.flags = HMM_MIRROR_MAP_WRITE;
		break;
#endif
	case C_RESET:
		cc->request = HMM_MIRROR_RESET;
		break;
	case C_HOLD_LOCK:
		cc->request = HMM_MIRROR_HOLD_LOCK;
		cc->arg = &cc->ms;
		break;
	case C_BAD_H:
		cc->request = _IOWR('H', 0x3f, struct hmm_mirror_cmd);
		break;
	default:
		cc->request = HMM_MIRROR_STATS;
		cc->arg = &cc->st;
		break;
	}
	/* Bad arguments change nothing: the mm check comes first. */
	if (!rnd_below(&m->rng, 8))
		cc->arg = rnd_below(&m->rng, 2) ? NULL : (void *)(uintptr_t)KERNEL_PTR;
}

/* The child: touch the inherited memory, check the oracle, call. */
static void __noreturn child_run(struct mutator *m, struct child_call *cc)
{
	unsigned int i, k;
	uint64_t va;
	long ret;

	for (i = m->id; i < NSLOTS; i += opt.mutators)
		touch_slot(i, &m->rng, 4, 0xc41d);
	for (k = 0; k < 16; k++) {
		va = (uintptr_t)oracle +
		     rnd_below(&m->rng, ORACLE_PAGES * PAGE_SZ / 8) * 8;
		if (*(uint64_t *)(uintptr_t)va != oracle_word(va))
			_exit(CHILD_BAD_ORACLE);
	}
	ret = ioctl(dev_fd[cc->dev], cc->request, cc->arg);
	if (ret > 0)
		_exit(CHILD_POSITIVE);
	_exit(ret ? errno : 0);
}

static void fork_step(struct mutator *m)
{
	char tmp[32], want_s[32];
	struct child_call cc;
	int status, code, want;
	pid_t pid;

	pick_child_call(m, &cc);
	pid = fork();
	if (pid < 0) {
		mutator_error(m, "fork");
		return;
	}
	if (!pid)
		child_run(m, &cc);
	m->since = now();
	__atomic_store_n(&m->busy, 1, __ATOMIC_RELEASE);
	if (waitpid(pid, &status, 0) != pid) {
		__atomic_store_n(&m->busy, 0, __ATOMIC_RELAXED);
		mutator_error(m, "waitpid");
		return;
	}
	__atomic_store_n(&m->busy, 0, __ATOMIC_RELAXED);
	if (!WIFEXITED(status)) {
		report(&child_failures,
		       "fork child of mutator %u (seed %llu): killed by signal %d",
		       m->id, opt.seed, WIFSIGNALED(status) ? WTERMSIG(status) : -1);
		return;
	}
	code = WEXITSTATUS(status);
	if (code == CHILD_BAD_ORACLE) {
		report(&child_failures,
		       "fork child of mutator %u (seed %llu): the inherited oracle is corrupt",
		       m->id, opt.seed);
		return;
	}
	if (cc.cmd == C_STATS)
		want = cc.arg == &cc.st ? 0 : EFAULT;
	else
		want = EPERM;
	count_result(m->counts, cc.cmd == C_STATS ? C_CHILD_STATS : C_CHILD_OTHER,
		     code == CHILD_POSITIVE ? NR_ERRNO - 1 : code);
	if (code != want)
		report(&child_failures,
		       "fork child of mutator %u (seed %llu): %s (%#x) on an inherited hmm_mirror%d, arg %p: %s, want %s",
		       m->id, opt.seed, cmd_names[cc.cmd], cc.request,
		       dev_unit[cc.dev], cc.arg,
		       code == CHILD_POSITIVE ? "positive return" :
						errname(code, tmp, sizeof(tmp)),
		       errname(want, want_s, sizeof(want_s)));
}

static void mutator_step(struct mutator *m)
{
	static const int prots[] = {
		PROT_READ | PROT_WRITE, PROT_READ, PROT_NONE,
	};
	uint64_t *rng = &m->rng;
	unsigned int i = own_slot(m);
	unsigned long n = slot_npages(i), k, off;
	char *base = slot_base(i);
	int op, prot;

	op = n ? pick(rng, mop_weights, NR_MOPS) : MOP_MMAP;
	m->ops[op]++;
	switch (op) {
	case MOP_MMAP:
		map_slot(m, i);
		break;
	case MOP_MUNMAP:
		/* The whole mapping, or its tail */
		k = rnd_below(rng, 2) ? n : 1 + rnd_below(rng, n);
		if (munmap(base + (n - k) * PAGE_SZ, k * PAGE_SZ))
			mutator_error(m, "munmap of slot %u", i);
		publish(i, n - k);
		break;
	case MOP_MPROTECT:
		prot = prots[rnd_below(rng, ARRAY_SIZE(prots))];
		if (mprotect(base, n * PAGE_SZ, prot))
			mutator_error(m, "mprotect of slot %u", i);
		else
			slots[i].prot = prot;
		break;
	case MOP_DONTNEED:
		off = rnd_below(rng, n);
		k = 1 + rnd_below(rng, n - off);
		if (madvise(base + off * PAGE_SZ, k * PAGE_SZ, MADV_DONTNEED))
			mutator_error(m, "MADV_DONTNEED of slot %u", i);
		break;
	case MOP_TOUCH:
		touch_slot(i, rng, 1 + rnd_below(rng, 16), rnd(rng));
		break;
	case MOP_FORK:
		fork_step(m);
		break;
	default:
		madvise(base, n * PAGE_SZ,
			rnd_below(rng, 2) ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		break;
	}
}

static void *mutator_thread(void *arg)
{
	struct mutator *m = arg;

	while (!stopping(&stop))
		mutator_step(m);
	__atomic_store_n(&m->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* Setup */

/* TASK_SIZE: 56 bits with 5-level page tables, else 47 bits. */
static uint64_t probe_task_size(void)
{
	void *hint = (void *)(1UL << 48);
	void *p = mmap(hint, PAGE_SZ, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p != MAP_FAILED)
		munmap(p, PAGE_SZ);
	return p == hint ? (1ULL << 56) - PAGE_SZ : (1ULL << 47) - PAGE_SZ;
}

/* The end of the highest user mapping: the stack, vdso or vvar. */
static uint64_t find_top_gap(void)
{
	unsigned long long lo, hi, top = 0;
	char line[512];
	FILE *f;

	f = fopen("/proc/self/maps", "r");
	if (!f)
		return task_size;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx-%llx", &lo, &hi) == 2 && lo < task_size &&
		    hi > top)
			top = hi;
	fclose(f);
	return top;
}

static int setup_fuzzer(struct fuzzer *f)
{
	size_t ro_size = (1 + RO_PAGES) * PAGE_SZ;
	int memfd;

	f->area = mmap(NULL, AREA_PAGES * PAGE_SZ, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (f->area == MAP_FAILED)
		return -1;
	f->scratch = f->area + AR_SCRATCH * PAGE_SZ;
	f->codes = f->area + AR_CODES * PAGE_SZ;
	f->argp = f->area + AR_ARG * PAGE_SZ;
	if (mprotect(f->scratch, SCRATCH_PAGES * PAGE_SZ, PROT_READ | PROT_WRITE) ||
	    mprotect(f->codes, PAGE_SZ, PROT_READ | PROT_WRITE) ||
	    mprotect(f->argp, PAGE_SZ, PROT_READ | PROT_WRITE))
		return -1;

	memfd = memfd_create("hmm-mirror-fuzz", MFD_CLOEXEC);
	if (memfd < 0 || ftruncate(memfd, ro_size))
		return -1;
	f->ro_rw = mmap(NULL, ro_size, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
	f->ro = mmap(f->area + AR_RO * PAGE_SZ, ro_size, PROT_READ,
		     MAP_SHARED | MAP_FIXED, memfd, 0);
	close(memfd);
	if (f->ro_rw == MAP_FAILED || f->ro == MAP_FAILED)
		return -1;
	fill_random(f, f->ro_rw, ro_size);
	memset(f->scratch, 0x5a, SCRATCH_PAGES * PAGE_SZ);
	f->slice = slice_of(f->id);
	return 0;
}

static int open_devices(char *why, size_t len)
{
	char path[32];
	int unit, fd, err = ENOENT;

	for (unit = 0; unit < MAX_DEVICES; unit++) {
		snprintf(path, sizeof(path), HMM_MIRROR_PATH, unit);
		fd = open(path, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			if (errno != ENOENT)
				err = errno;
			continue;
		}
		dev_unit[ndevs] = unit;
		dev_fd[ndevs++] = fd;
	}
	if (!ndevs) {
		if (err == ENOENT)
			snprintf(why, len, "test_hmm_mirror not loaded: no /dev/hmm_mirrorN\n");
		else
			snprintf(why, len, "cannot open /dev/hmm_mirrorN: %s\n",
				 strerror(err));
		return -1;
	}
	return 0;
}

static int setup(void)
{
	uint64_t rng = opt.seed + 2 * MAX_FUZZERS;
	unsigned long i;
	uint64_t va;

	task_size = probe_task_size();
	oracle_salt = rnd(&rng);
	for (i = 0; i < POOL_WINDOWS; i++)
		pool[i] = (rnd(&rng) & ((1ULL << 47) - 1)) & ~(THP_SIZE - 1);

	arena = map_aligned(ARENA_SIZE, THP_SIZE, PROT_NONE, NULL);
	if (!arena)
		return -1;
	oracle = map_aligned((ORACLE_PAGES + opt.fuzzers * SLICE_PAGES) * PAGE_SZ,
			     THP_SIZE, PROT_READ | PROT_WRITE, NULL);
	if (!oracle)
		return -1;
	madvise(oracle, (ORACLE_PAGES + opt.fuzzers * SLICE_PAGES) * PAGE_SZ,
		MADV_NOHUGEPAGE);
	for (va = (uintptr_t)oracle; va < (uintptr_t)oracle + ORACLE_PAGES * PAGE_SZ;
	     va += 8)
		*(uint64_t *)(uintptr_t)va = oracle_word(va);

	for (i = 0; i < opt.fuzzers; i++) {
		fuzzers[i].id = i;
		fuzzers[i].rng = opt.seed + i;
		if (setup_fuzzer(&fuzzers[i]))
			return -1;
		memset(fuzzers[i].slice, 0, SLICE_PAGES * PAGE_SZ);
	}
	for (i = 0; i < opt.mutators; i++) {
		mutators[i].id = i;
		mutators[i].rng = opt.seed + MAX_FUZZERS + i;
		mutators[i].buf = malloc(SLICE_PAGES * PAGE_SZ);
		if (!mutators[i].buf)
			return -1;
		memset(mutators[i].buf, 0, SLICE_PAGES * PAGE_SZ);
	}
	top_gap = find_top_gap();
	return 0;
}

/* After the storm */

/* Every device reads the oracle and the slices as the CPU sees them. */
static void final_oracle(void)
{
	struct fuzzer *f = &fuzzers[0];
	unsigned long p, n, s;
	uint64_t cpages;
	int dev, err;
	char *addr;

	for (dev = 0; dev < ndevs; dev++) {
		for (p = 0; p < ORACLE_PAGES; p += n) {
			n = ORACLE_PAGES - p < ORACLE_SPAN ? ORACLE_PAGES - p : ORACLE_SPAN;
			addr = oracle + p * PAGE_SZ;
			err = oracle_cmd(f, dev, C_READ, HMM_MIRROR_READ, addr,
					 f->scratch, n, &cpages);
			if (!oracle_call_ok(f, dev, "final READ", p, n, err, cpages) ||
			    !oracle_compare(f, dev, "final READ", (uint64_t *)f->scratch,
					    (uintptr_t)addr, n, 0, true))
				break;
		}
		for (s = 0; s < opt.fuzzers; s++) {
			addr = slice_of(s);
			err = oracle_cmd(f, dev, C_READ, HMM_MIRROR_READ, addr,
					 f->scratch, SLICE_PAGES, &cpages);
			if (!oracle_call_ok(f, dev, "final READ of a slice", 0,
					    SLICE_PAGES, err, cpages))
				continue;
			if (memcmp(f->scratch, addr, SLICE_PAGES * PAGE_SZ))
				oracle_fail(f,
					    "hmm_mirror%d: final READ of slice %lu differs from the CPU's view",
					    dev_unit[dev], s);
		}
	}
}

static void print_stats(int dev)
{
	struct hmm_mirror_dev_stats st;

	memset(&st, 0, sizeof(st));
	if (ioctl(dev_fd[dev], HMM_MIRROR_STATS, &st)) {
		ksft_print_msg("hmm_mirror%d: HMM_MIRROR_STATS: %s\n", dev_unit[dev],
			       strerror(errno));
		return;
	}
	ksft_print_msg("hmm_mirror%d: faults=%llu pages=%llu collisions=%llu ebusy=%llu\n",
		       dev_unit[dev], st.faults, st.pages, st.collisions, st.ebusy);
	ksft_print_msg("hmm_mirror%d: shrinks=%llu invalidations=%llu nonblock_refused=%llu\n",
		       dev_unit[dev], st.shrinks, st.invalidations,
		       st.nonblock_refused);
	ksft_print_msg("hmm_mirror%d: reads=%llu writes=%llu windows=%llu huge_entries=%llu\n",
		       dev_unit[dev], st.reads, st.writes, st.windows,
		       st.huge_entries);
	ksft_print_msg("hmm_mirror%d: dev_invalidations=%llu finish_passes=%llu\n",
		       dev_unit[dev], st.dev_invalidations, st.finish_passes);
}

static void final_audit(int dev)
{
	struct hmm_mirror_cmd c;
	int err;

	memset(&c, 0, sizeof(c));
	err = ioctl(dev_fd[dev], HMM_MIRROR_AUDIT, &c) ? errno : 0;
	count_result(fuzzers[0].counts, C_AUDIT, err);
	ksft_print_msg("hmm_mirror%d: final audit: %s, %llu entries checked, %llu mismatches\n",
		       dev_unit[dev], err ? strerror(err) : "ok",
		       (unsigned long long)c.cpages, (unsigned long long)c.faults);
	ksft_print_msg("hmm_mirror%d: %lu audits with mismatches during the storm\n",
		       dev_unit[dev], dev_bad_audits[dev]);
	ksft_test_result(!err && !c.faults && !dev_bad_audits[dev],
			 "audit hmm_mirror%d\n", dev_unit[dev]);
}

/* The (command, errno) table, one line per command. */
static void print_table(unsigned long *calls)
{
	static unsigned long total[NR_CMDS][NR_ERRNO];
	char line[512], tmp[32];
	unsigned int i, t;
	int cmd, e, n;

	for (t = 0; t < opt.fuzzers; t++)
		for (cmd = 0; cmd < NR_CMDS; cmd++)
			for (e = 0; e < NR_ERRNO; e++)
				total[cmd][e] += fuzzers[t].counts[cmd][e];
	for (t = 0; t < opt.mutators; t++)
		for (cmd = 0; cmd < NR_CMDS; cmd++)
			for (e = 0; e < NR_ERRNO; e++)
				total[cmd][e] += mutators[t].counts[cmd][e];

	*calls = 0;
	ksft_print_msg("(command, errno) table: command: errno=calls ...\n");
	for (cmd = 0; cmd < NR_CMDS; cmd++) {
		n = snprintf(line, sizeof(line), "%-13s", cmd_names[cmd]);
		i = 0;
		for (e = 0; e < NR_ERRNO; e++) {
			if (!total[cmd][e])
				continue;
			*calls += total[cmd][e];
			n += snprintf(line + n, sizeof(line) - n, " %s=%lu",
				      e == NR_ERRNO - 1 ? "other" :
				      errname(e, tmp, sizeof(tmp)),
				      total[cmd][e]);
			i++;
		}
		if (i)
			ksft_print_msg("%s\n", line);
	}
	if (!opt.verbose)
		return;
	for (cmd = 0; cmd < C_CHILD_STATS; cmd++) {
		unsigned long calls = 0;
		double time = 0, slowest = 0;

		for (t = 0; t < opt.fuzzers; t++) {
			time += fuzzers[t].time[cmd];
			if (fuzzers[t].slowest[cmd] > slowest)
				slowest = fuzzers[t].slowest[cmd];
		}
		for (e = 0; e < NR_ERRNO; e++)
			calls += total[cmd][e];
		if (calls)
			ksft_print_msg("%-13s %.2f ms per call, slowest %.1f ms\n",
				       cmd_names[cmd], time * 1000 / calls, slowest * 1000);
	}
}

/*
 * Join the threads, unless a call does not return within STUCK_SECONDS of
 * the end: then report the calls in progress and return how many threads
 * are stuck; exit() kills them.
 */
static unsigned int wait_threads(void)
{
	double deadline = now() + STUCK_SECONDS;
	unsigned int i, stuck;
	char desc[400];

	do {
		stuck = 0;
		for (i = 0; i < opt.fuzzers; i++)
			stuck += fuzzers[i].started &&
				 !__atomic_load_n(&fuzzers[i].done, __ATOMIC_ACQUIRE);
		for (i = 0; i < opt.mutators; i++)
			stuck += mutators[i].started &&
				 !__atomic_load_n(&mutators[i].done, __ATOMIC_ACQUIRE);
		if (!stuck)
			break;
		usleep(100000);
	} while (now() < deadline);

	if (!stuck) {
		for (i = 0; i < opt.fuzzers; i++)
			if (fuzzers[i].started)
				pthread_join(fuzzers[i].thread, NULL);
		for (i = 0; i < opt.mutators; i++)
			if (mutators[i].started)
				pthread_join(mutators[i].thread, NULL);
		return 0;
	}
	pthread_mutex_lock(&print_lock);
	ksft_print_msg("%u threads still running %d s after the end (seed %llu)\n",
		       stuck, STUCK_SECONDS, opt.seed);
	for (i = 0; i < opt.fuzzers; i++) {
		struct fuzzer *f = &fuzzers[i];

		if (!f->started || __atomic_load_n(&f->done, __ATOMIC_ACQUIRE))
			continue;
		if (!__atomic_load_n(&f->busy, __ATOMIC_ACQUIRE)) {
			ksft_print_msg("stuck: thread %u iteration %lu: not in a call\n",
				       i, f->iter);
			continue;
		}
		describe(&f->cur, desc, sizeof(desc));
		ksft_print_msg("stuck: thread %u iteration %lu: %s: no return for %.0f s\n",
			       i, f->iter, desc, now() - f->since);
	}
	for (i = 0; i < opt.mutators; i++) {
		struct mutator *m = &mutators[i];

		if (!m->started || __atomic_load_n(&m->done, __ATOMIC_ACQUIRE))
			continue;
		if (__atomic_load_n(&m->busy, __ATOMIC_ACQUIRE))
			ksft_print_msg("stuck: mutator %u: waiting for a fork child for %.0f s\n",
				       i, now() - m->since);
		else
			ksft_print_msg("stuck: mutator %u, not waiting for a child\n", i);
	}
	pthread_mutex_unlock(&print_lock);
	return stuck;
}

static void print_usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-d seconds] [-t fuzz threads] [-m mutator threads] [-s seed] [-v]\n"
		"  -d  seconds to fuzz (default 10)\n"
		"  -t  fuzz threads (default 4, 1 to %d)\n"
		"  -m  mutator threads (default 2, 0 to %d)\n"
		"  -s  random seed (default: from the time; printed)\n"
		"  -v  print every failure, and progress\n",
		prog, MAX_FUZZERS, MAX_MUTATORS);
	exit(KSFT_FAIL);
}

int main(int argc, char **argv)
{
	unsigned long iters = 0, checks = 0, calls, ops[NR_MOPS] = { 0 };
	unsigned int i, j;
	double start, end, next;
	bool seeded = false;
	unsigned int stuck;
	char why[128], line[256];
	int c, n;

	while ((c = getopt(argc, argv, "d:t:m:s:vh")) != -1) {
		switch (c) {
		case 'd':
			opt.duration = strtoul(optarg, NULL, 0);
			break;
		case 't':
			opt.fuzzers = strtoul(optarg, NULL, 0);
			break;
		case 'm':
			opt.mutators = strtoul(optarg, NULL, 0);
			break;
		case 's':
			opt.seed = strtoull(optarg, NULL, 0);
			seeded = true;
			break;
		case 'v':
			opt.verbose = true;
			break;
		default:
			print_usage(argv[0]);
		}
	}
	if (optind != argc || !opt.duration || !opt.fuzzers ||
	    opt.fuzzers > MAX_FUZZERS || opt.mutators > MAX_MUTATORS)
		print_usage(argv[0]);
	if (!seeded)
		opt.seed = (unsigned long long)time(NULL) ^ getpid();

	ksft_print_header();
	ksft_print_msg("seed %llu\n", opt.seed);
	ksft_print_msg("replay: %s -d %u -t %u -m %u -s %llu%s\n", argv[0],
		       opt.duration, opt.fuzzers, opt.mutators, opt.seed,
		       opt.verbose ? " -v" : "");
	if (open_devices(why, sizeof(why)))
		ksft_exit_skip("%s", why);
	if (setup())
		ksft_exit_fail_msg("setup: %s\n", strerror(errno));
	ksft_print_msg("%d devices, %u s, %u fuzz threads, %u mutator threads\n",
		       ndevs, opt.duration, opt.fuzzers, opt.mutators);
	ksft_print_msg("task size %#llx, nothing mapped from %#llx, arena %p, oracle %p\n",
		       (unsigned long long)task_size, (unsigned long long)top_gap,
		       arena, oracle);
	ksft_set_plan(3 + ndevs);

	for (i = 0; i < opt.mutators; i++)
		mutators[i].started = !pthread_create(&mutators[i].thread, NULL,
						      mutator_thread, &mutators[i]);
	for (i = 0; i < opt.fuzzers; i++)
		fuzzers[i].started = !pthread_create(&fuzzers[i].thread, NULL,
						     fuzz_thread, &fuzzers[i]);
	start = now();
	end = start + opt.duration;
	next = start + 5;
	while (now() < end) {
		usleep(100000);
		if (opt.verbose && now() >= next) {
			for (iters = 0, i = 0; i < opt.fuzzers; i++)
				iters += __atomic_load_n(&fuzzers[i].iter, __ATOMIC_RELAXED);
			pthread_mutex_lock(&print_lock);
			ksft_print_msg("%.0f s: %lu iterations\n", now() - start, iters);
			pthread_mutex_unlock(&print_lock);
			next += 5;
		}
	}
	set_stop(&stop);
	stuck = wait_threads();
	ksft_print_msg("storm: %.1f s\n", now() - start);

	if (!stuck)
		final_oracle();

	for (iters = 0, i = 0; i < opt.fuzzers; i++) {
		if (!fuzzers[i].started)
			ksft_print_msg("fuzz thread %u did not start\n", i);
		iters += fuzzers[i].iter;
		checks += fuzzers[i].oracle_checks;
		if (opt.verbose)
			ksft_print_msg("fuzz thread %u: %lu iterations\n", i,
				       fuzzers[i].iter);
	}
	for (i = 0; i < opt.mutators; i++)
		for (j = 0; j < NR_MOPS; j++)
			ops[j] += mutators[i].ops[j];
	ksft_print_msg("%lu iterations, %lu oracle checks, %lu calls slower than %d s\n",
		       iters, checks, slow_calls, SLOW_SECONDS);
	for (n = 0, j = 0; j < NR_MOPS; j++)
		n += snprintf(line + n, sizeof(line) - n, " %s=%lu", mop_names[j],
			      ops[j]);
	ksft_print_msg("mutators:%s\n", line);
	for (i = 0; i < (unsigned int)ndevs; i++)
		print_stats(i);

	ksft_test_result(!contract_failures && !stuck && iters,
			 "errno contract: %lu failures, %u calls that never returned\n",
			 contract_failures, stuck);
	if (stuck) {
		ksft_test_result_skip("oracle data: threads stuck\n");
		for (i = 0; i < (unsigned int)ndevs; i++)
			ksft_test_result_skip("audit hmm_mirror%d: threads stuck\n",
					      dev_unit[i]);
	} else {
		ksft_test_result(!oracle_failures && checks,
				 "oracle data: %lu failures in %lu checks\n",
				 oracle_failures, checks);
		for (i = 0; i < (unsigned int)ndevs; i++)
			final_audit(i);
	}
	ksft_test_result(!child_failures && !mutator_errors &&
			 (!opt.mutators || ops[MOP_FORK]),
			 "mutators and fork children: %lu child failures, %lu mutator errors\n",
			 child_failures, mutator_errors);
	print_table(&calls);
	ksft_print_msg("%lu calls; replay with -s %llu\n", calls, opt.seed);
	for (i = 0; i < (unsigned int)ndevs; i++)
		close(dev_fd[i]);
	ksft_finished();
}
