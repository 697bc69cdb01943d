/*
 * iommu.c - the line protocol of spec/protocol.md around the model of model.c.
 *
 * Reads one line at a time from standard input and answers on standard output:
 *   set-up:  policy ..., scope ..., device ..., mm ..., vm ..., then start -> ready
 *   steps:   one operation in trace syntax (spec/trace-format.md) -> one result line
 *   quit:    exit with status 0
 * A line that cannot be understood is answered with "error MESSAGE"; the
 * program then carries on with the next line. A bad set-up line is reported
 * when "start" arrives, since set-up lines get no answer of their own.
 *
 * Usage: iommu-c [--bug forget-pasid-flush]
 */
#include "model.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 8192
#define MAX_WORDS 32
#define MSG_LEN 512

/* The state lives in static storage: the caches are a couple of megabytes. */
static struct iommu live;

/* The set-up being collected since the last "policy" line. */
static struct {
    bool have_policy;
    bool have_scope;
    struct policy pol;
    struct scope sc;
    int maxgroup;
    char error[MSG_LEN]; /* first problem in the set-up lines, reported at "start" */
} pending;

static bool started;

/* ---------------------------------------------------------------------------
 * Small helpers
 * ------------------------------------------------------------------------- */

/* Copies at most 40 printable characters of untrusted text into a message. */
static void clip(char *out, size_t n, const char *s)
{
    size_t j = 0;
    for (size_t i = 0; s[i] != '\0' && j + 4 < n; i++) {
        if (i == 40) {
            out[j++] = '.';
            out[j++] = '.';
            out[j++] = '.';
            break;
        }
        unsigned char c = (unsigned char)s[i];
        out[j++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
    }
    out[j] = '\0';
}

static void reply(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void reply(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
    fflush(stdout);
}

/* Strict decimal: optional '-' when min < 0, digits only, within [min, max]. */
static bool parse_int(const char *s, long min, long max, int *out)
{
    if (s == NULL || *s == '\0')
        return false;
    const char *p = s;
    if (*p == '-') {
        if (min >= 0)
            return false;
        p++;
    }
    if (*p == '\0')
        return false;
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q))
            return false;
    errno = 0;
    char *end = NULL;
    long v = strtol(s, &end, 10);
    if (errno != 0 || end == NULL || *end != '\0' || v < min || v > max)
        return false;
    *out = (int)v;
    return true;
}

/* Splits a line into words at whitespace (in place). Returns the count, or -1 if too many. */
static int split_words(char *line, char *words[MAX_WORDS])
{
    int n = 0;
    char *p = line;
    for (;;) {
        while (*p && isspace((unsigned char)*p))
            p++;
        if (*p == '\0')
            return n;
        if (n == MAX_WORDS)
            return -1;
        words[n++] = p;
        while (*p && !isspace((unsigned char)*p))
            p++;
        if (*p)
            *p++ = '\0';
    }
}

/* key=value arguments of one line. */
struct args {
    int n;
    char *key[MAX_WORDS];
    char *val[MAX_WORDS];
};

/*
 * Splits words[1..] into key=value pairs, each key at most once and in the
 * allowed list (a NULL-terminated array). Returns false with a message otherwise.
 */
static bool parse_args(char **words, int nwords, const char *const *allowed, struct args *a, char *msg)
{
    char c1[64];
    a->n = 0;
    for (int i = 1; i < nwords; i++) {
        char *eq = strchr(words[i], '=');
        if (eq == NULL || eq == words[i]) {
            clip(c1, sizeof c1, words[i]);
            snprintf(msg, MSG_LEN, "expected key=value, found \"%s\"", c1);
            return false;
        }
        *eq = '\0';
        const char *key = words[i];
        bool known = false;
        for (int k = 0; allowed[k] != NULL; k++)
            if (strcmp(allowed[k], key) == 0)
                known = true;
        clip(c1, sizeof c1, key);
        if (!known) {
            snprintf(msg, MSG_LEN, "%s has no argument \"%s\"", words[0], c1);
            return false;
        }
        for (int j = 0; j < a->n; j++)
            if (strcmp(a->key[j], key) == 0) {
                snprintf(msg, MSG_LEN, "argument \"%s\" given twice", c1);
                return false;
            }
        a->key[a->n] = words[i];
        a->val[a->n] = eq + 1;
        a->n++;
    }
    return true;
}

static char *arg(const struct args *a, const char *key)
{
    for (int j = 0; j < a->n; j++)
        if (strcmp(a->key[j], key) == 0)
            return a->val[j];
    return NULL;
}

/* ---------------------------------------------------------------------------
 * Set-up lines
 * ------------------------------------------------------------------------- */

static void setup_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void setup_error(const char *fmt, ...)
{
    if (pending.error[0] != '\0')
        return; /* keep the first problem */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pending.error, sizeof pending.error, fmt, ap);
    va_end(ap);
}

static bool get_bool(const struct args *a, const char *key, bool *out)
{
    const char *v = arg(a, key);
    if (v == NULL) {
        setup_error("missing \"%s\"", key);
        return false;
    }
    if (strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
        setup_error("\"%s\" must be 0 or 1", key);
        return false;
    }
    *out = v[0] == '1';
    return true;
}

/* Looks a value up in a NULL-terminated list of names; returns its index or -1 (and records an error). */
static int get_enum(const struct args *a, const char *key, const char *const *names)
{
    const char *v = arg(a, key);
    if (v == NULL) {
        setup_error("missing \"%s\"", key);
        return -1;
    }
    for (int i = 0; names[i] != NULL; i++)
        if (strcmp(v, names[i]) == 0)
            return i;
    setup_error("bad \"%s\"", key);
    return -1;
}

static bool get_int(const struct args *a, const char *key, long min, long max, int *out)
{
    const char *v = arg(a, key);
    if (v == NULL) {
        setup_error("missing \"%s\"", key);
        return false;
    }
    if (!parse_int(v, min, max, out)) {
        setup_error("\"%s\" must be a number from %ld to %ld", key, min, max);
        return false;
    }
    return true;
}

static void setup_policy(char **w, int n)
{
    static const char *const keys[] = { "paging_pasid", "split_formats", "dirty_blocks_pasid",
                                        "nest_parent_blocks_pasid", "sva_on_rid", "iotlb_tag", "did",
                                        "sva_shared_did", "unmap_flush", "devtlb_flush", "flush_on_detach",
                                        "invalidation", "fq_iova_reuse", "vpasid_scheme", "passthrough_check",
                                        NULL };
    static const char *const paging[] = { "always", "flag", "never", NULL };
    static const char *const svarid[] = { "refused", "allowed", "unchecked", NULL };
    static const char *const tags[] = { "domain", "domain+pasid", "rid-domain+pasid", NULL };
    static const char *const dids[] = { "per-domain", "per-device", NULL };
    static const char *const unmap[] = { "all-tags", "rid-tag-only", NULL };
    static const char *const inval[] = { "strict", "deferred", NULL };
    static const char *const vps[] = { "none", "identity", "allocated", NULL };

    /* STATE-INIT-1: a policy line starts a new session. */
    memset(&pending, 0, sizeof pending);
    started = false;
    pending.have_policy = true;
    pending.maxgroup = -1;

    struct args a;
    char msg[MSG_LEN];
    if (!parse_args(w, n, keys, &a, msg)) {
        setup_error("%s", msg);
        return;
    }
    struct policy *p = &pending.pol;
    int v;
    if ((v = get_enum(&a, "paging_pasid", paging)) >= 0)
        p->paging_pasid = (enum paging_pasid)v;
    get_bool(&a, "split_formats", &p->split_formats);
    get_bool(&a, "dirty_blocks_pasid", &p->dirty_blocks_pasid);
    get_bool(&a, "nest_parent_blocks_pasid", &p->nest_parent_blocks_pasid);
    if ((v = get_enum(&a, "sva_on_rid", svarid)) >= 0)
        p->sva_on_rid = (enum sva_on_rid)v;
    if ((v = get_enum(&a, "iotlb_tag", tags)) >= 0)
        p->iotlb_tag = (enum iotlb_tag)v;
    if ((v = get_enum(&a, "did", dids)) >= 0)
        p->did_per_device = v == 1;
    get_bool(&a, "sva_shared_did", &p->sva_shared_did);
    if ((v = get_enum(&a, "unmap_flush", unmap)) >= 0)
        p->unmap_flush_rid_only = v == 1;
    get_bool(&a, "devtlb_flush", &p->devtlb_flush);
    get_bool(&a, "flush_on_detach", &p->flush_on_detach);
    if ((v = get_enum(&a, "invalidation", inval)) >= 0)
        p->deferred = v == 1;
    get_bool(&a, "fq_iova_reuse", &p->fq_iova_reuse);
    if ((v = get_enum(&a, "vpasid_scheme", vps)) >= 0)
        p->vpasid_scheme = (enum vpasid_scheme)v;
    get_bool(&a, "passthrough_check", &p->passthrough_check);
}

static void setup_scope(char **w, int n)
{
    static const char *const keys[] = { "slots", "pasids", "iova_pages", "phys_pages", "vpasids", NULL };
    struct args a;
    char msg[MSG_LEN];
    if (!parse_args(w, n, keys, &a, msg)) {
        setup_error("%s", msg);
        return;
    }
    struct scope *s = &pending.sc;
    bool good = get_int(&a, "slots", 1, MAX_SLOTS, &s->slots);
    good &= get_int(&a, "pasids", 0, MAX_PASIDS, &s->pasids);
    good &= get_int(&a, "iova_pages", 1, MAX_IOVA, &s->iova_pages);
    good &= get_int(&a, "phys_pages", 1, MAX_PHYS, &s->phys_pages);
    good &= get_int(&a, "vpasids", 0, MAX_VPASIDS, &s->vpasids);
    pending.have_scope = good;
}

static int pending_device(const char *name)
{
    for (int i = 0; i < pending.sc.ndevices; i++)
        if (strcmp(pending.sc.devices[i].name, name) == 0)
            return i;
    return -1;
}

static bool valid_name(const char *name)
{
    size_t len = strlen(name);
    if (len == 0 || len >= MAX_NAME) {
        setup_error("a name must have 1 to %d characters", MAX_NAME - 1);
        return false;
    }
    return true;
}

static void setup_device(char **w, int n)
{
    static const char *const keys[] = { "name", "group", "pf", "max_pasids", "ats", NULL };
    struct args a;
    char msg[MSG_LEN];
    if (!parse_args(w, n, keys, &a, msg)) {
        setup_error("%s", msg);
        return;
    }
    if (pending.sc.ndevices == MAX_DEVICES) {
        setup_error("too many devices (at most %d)", MAX_DEVICES);
        return;
    }
    struct device d;
    memset(&d, 0, sizeof d);
    const char *name = arg(&a, "name");
    int pf;
    if (name == NULL) {
        setup_error("missing \"name\"");
        return;
    }
    if (!valid_name(name))
        return;
    if (pending_device(name) >= 0) {
        setup_error("device named twice");
        return;
    }
    strcpy(d.name, name);
    /* pf is informational: max_pasids already is the effective width (DEV-VF-1). */
    if (!get_int(&a, "group", 0, MAX_GROUPS - 1, &d.group) || !get_int(&a, "pf", -1, MAX_DEVICES, &pf) ||
        !get_int(&a, "max_pasids", 0, INT_MAX, &d.max_pasids) || !get_bool(&a, "ats", &d.ats))
        return;
    pending.sc.devices[pending.sc.ndevices++] = d;
    if (d.group > pending.maxgroup)
        pending.maxgroup = d.group;
}

static void setup_mm(char **w, int n)
{
    static const char *const keys[] = { "name", NULL };
    struct args a;
    char msg[MSG_LEN];
    if (!parse_args(w, n, keys, &a, msg)) {
        setup_error("%s", msg);
        return;
    }
    const char *name = arg(&a, "name");
    if (name == NULL) {
        setup_error("missing \"name\"");
        return;
    }
    if (!valid_name(name))
        return;
    if (pending.sc.nmms == MAX_MMS) {
        setup_error("too many mms (at most %d)", MAX_MMS);
        return;
    }
    strcpy(pending.sc.mms[pending.sc.nmms++], name);
}

static void setup_vm(char **w, int n)
{
    static const char *const keys[] = { "name", "devices", NULL };
    struct args a;
    char msg[MSG_LEN];
    if (!parse_args(w, n, keys, &a, msg)) {
        setup_error("%s", msg);
        return;
    }
    const char *name = arg(&a, "name");
    char *list = arg(&a, "devices");
    if (name == NULL || list == NULL) {
        setup_error("missing \"%s\"", name == NULL ? "name" : "devices");
        return;
    }
    if (!valid_name(name))
        return;
    if (pending.sc.nvms == MAX_VMS) {
        setup_error("too many VMs (at most %d)", MAX_VMS);
        return;
    }
    struct vm *v = &pending.sc.vms[pending.sc.nvms];
    memset(v, 0, sizeof *v);
    strcpy(v->name, name);
    if (strcmp(list, "-") != 0) {
        /* devices=NAME:passthrough,NAME:mdev,... (devices come before VMs in the set-up) */
        char *item = list;
        while (item != NULL) {
            char *next = strchr(item, ',');
            if (next != NULL)
                *next++ = '\0';
            char *colon = strchr(item, ':');
            char c1[64];
            clip(c1, sizeof c1, item);
            if (colon == NULL) {
                setup_error("bad VM device \"%s\"", c1);
                return;
            }
            *colon = '\0';
            int dev = pending_device(item);
            bool pt = strcmp(colon + 1, "passthrough") == 0;
            if (dev < 0 || (!pt && strcmp(colon + 1, "mdev") != 0) || v->ndevs == MAX_DEVICES) {
                setup_error("bad VM device \"%s\"", c1);
                return;
            }
            v->devs[v->ndevs].dev = dev;
            v->devs[v->ndevs].passthrough = pt;
            v->ndevs++;
            item = next;
        }
    }
    pending.sc.nvms++;
}

/* "start": install the collected set-up in the initial state (STATE-INIT-1), answer "ready". */
static void setup_start(void)
{
    if (pending.error[0] != '\0') {
        reply("error %s", pending.error);
        return;
    }
    if (!pending.have_policy) {
        reply("error no \"policy\" line before \"start\"");
        return;
    }
    if (!pending.have_scope) {
        reply("error no \"scope\" line before \"start\"");
        return;
    }
    bool bug = live.bug_forget_pasid_flush;
    live.pol = pending.pol;
    live.sc = pending.sc;
    live.sc.ngroups = pending.maxgroup + 1;
    live.bug_forget_pasid_flush = bug;
    iommu_init(&live);
    started = true;
    reply("ready");
}

/* ---------------------------------------------------------------------------
 * Operations
 * ------------------------------------------------------------------------- */

enum opcode {
    OP_ALLOC_DOMAIN, OP_FREE_DOMAIN, OP_ATTACH_RID, OP_REPLACE_RID, OP_DETACH_RID, OP_ATTACH_PASID,
    OP_REPLACE_PASID, OP_DETACH_PASID, OP_SVA_BIND, OP_SVA_UNBIND, OP_MAP, OP_UNMAP, OP_INVALIDATE,
    OP_TRANSLATE, OP_VPASID_ALLOC, OP_VPASID_FREE, OP_VPASID_ATTACH, OP_COUNT
};

/* The operations of spec/trace-format.md with their argument names. */
static const struct {
    const char *name;
    const char *const keys[5];
} op_table[OP_COUNT] = {
    [OP_ALLOC_DOMAIN] = { "alloc_domain", { "dev", "kind", "flags", "parent", NULL } },
    [OP_FREE_DOMAIN] = { "free_domain", { "domain", NULL } },
    [OP_ATTACH_RID] = { "attach_rid", { "dev", "domain", NULL } },
    [OP_REPLACE_RID] = { "replace_rid", { "dev", "domain", NULL } },
    [OP_DETACH_RID] = { "detach_rid", { "dev", NULL } },
    [OP_ATTACH_PASID] = { "attach_pasid", { "dev", "pasid", "domain", NULL } },
    [OP_REPLACE_PASID] = { "replace_pasid", { "dev", "pasid", "domain", NULL } },
    [OP_DETACH_PASID] = { "detach_pasid", { "dev", "pasid", NULL } },
    [OP_SVA_BIND] = { "sva_bind", { "dev", "mm", NULL } },
    [OP_SVA_UNBIND] = { "sva_unbind", { "dev", "mm", NULL } },
    [OP_MAP] = { "map", { "domain", "iova", "pa", "perm", NULL } },
    [OP_UNMAP] = { "unmap", { "domain", "iova", NULL } },
    [OP_INVALIDATE] = { "invalidate", { "scope", NULL } },
    [OP_TRANSLATE] = { "translate", { "dev", "pasid", "iova", "access", NULL } },
    [OP_VPASID_ALLOC] = { "vpasid_alloc", { "vm", "vpasid", NULL } },
    [OP_VPASID_FREE] = { "vpasid_free", { "vm", "vpasid", NULL } },
    [OP_VPASID_ATTACH] = { "vpasid_attach", { "vm", "dev", "vpasid", "domain", NULL } },
};

/* Argument readers: each returns false with a message in msg. */
struct reader {
    const struct args *a;
    char *msg;
};

static const char *need(struct reader *r, const char *key)
{
    const char *v = arg(r->a, key);
    if (v == NULL)
        snprintf(r->msg, MSG_LEN, "missing the argument \"%s\"", key);
    return v;
}

static bool read_dev(struct reader *r, int *out)
{
    const char *v = need(r, "dev");
    if (v == NULL)
        return false;
    for (int i = 0; i < live.sc.ndevices; i++)
        if (strcmp(live.sc.devices[i].name, v) == 0) {
            *out = i;
            return true;
        }
    char c[64];
    clip(c, sizeof c, v);
    snprintf(r->msg, MSG_LEN, "unknown device \"%s\"", c);
    return false;
}

static bool read_named(struct reader *r, const char *key, int count, const char *(*name_at)(int), int *out)
{
    const char *v = need(r, key);
    if (v == NULL)
        return false;
    for (int i = 0; i < count; i++)
        if (strcmp(name_at(i), v) == 0) {
            *out = i;
            return true;
        }
    char c[64];
    clip(c, sizeof c, v);
    snprintf(r->msg, MSG_LEN, "unknown %s \"%s\"", key, c);
    return false;
}

static const char *mm_name(int i) { return live.sc.mms[i]; }
static const char *vm_name(int i) { return live.sc.vms[i].name; }

static bool read_num(struct reader *r, const char *key, int min, int max, int *out)
{
    const char *v = need(r, key);
    if (v == NULL)
        return false;
    if (!parse_int(v, min, max, out)) {
        char c[64];
        clip(c, sizeof c, v);
        snprintf(r->msg, MSG_LEN, "%s \"%s\" is not a number from %d to %d", key, c, min, max);
        return false;
    }
    return true;
}

/* A domain argument: dN, or (when statics are allowed) blocked / identity. */
static bool read_domain(struct reader *r, const char *key, bool statics, int *out)
{
    const char *v = need(r, key);
    if (v == NULL)
        return false;
    if (statics && strcmp(v, "blocked") == 0) {
        *out = DOM_BLOCKED;
        return true;
    }
    if (statics && strcmp(v, "identity") == 0) {
        *out = DOM_IDENTITY;
        return true;
    }
    if (v[0] == 'd' && parse_int(v + 1, 0, live.sc.slots - 1, out))
        return true;
    char c[64];
    clip(c, sizeof c, v);
    snprintf(r->msg, MSG_LEN, "\"%s\" must name a domain slot d0 to d%d%s, found \"%s\"", key, live.sc.slots - 1,
             statics ? ", blocked or identity" : "", c);
    return false;
}

/* Picks one of two spellings. */
static bool read_choice(struct reader *r, const char *key, const char *a, const char *b, bool *is_b)
{
    const char *v = need(r, key);
    if (v == NULL)
        return false;
    if (strcmp(v, a) == 0 || strcmp(v, b) == 0) {
        *is_b = strcmp(v, b) == 0;
        return true;
    }
    snprintf(r->msg, MSG_LEN, "\"%s\" must be %s or %s", key, a, b);
    return false;
}

/* flags=none or a |-list of pasid, nest_parent, dirty (optional; default none). */
static bool read_flags(struct reader *r, int *out)
{
    *out = 0;
    const char *v = arg(r->a, "flags");
    if (v == NULL || strcmp(v, "none") == 0)
        return true;
    /* Walk the |-separated names; an empty name (as in "pasid||") is an error. */
    const char *f = v;
    for (;;) {
        size_t len = strcspn(f, "|");
        if (len == 5 && strncmp(f, "pasid", len) == 0)
            *out |= FLAG_PASID;
        else if (len == 11 && strncmp(f, "nest_parent", len) == 0)
            *out |= FLAG_NEST_PARENT;
        else if (len == 5 && strncmp(f, "dirty", len) == 0)
            *out |= FLAG_DIRTY;
        else {
            char c[64];
            clip(c, sizeof c, v);
            snprintf(r->msg, MSG_LEN, "bad flags \"%s\": expected none or a |-list of pasid, nest_parent, dirty", c);
            return false;
        }
        if (f[len] == '\0')
            break;
        f += len + 1;
    }
    return true;
}

static const char *errno_name(enum errno_code e)
{
    switch (e) {
    case E_INVAL: return "EINVAL";
    case E_BUSY: return "EBUSY";
    case E_OPNOTSUPP: return "EOPNOTSUPP";
    case E_NODEV: return "ENODEV";
    case E_NOENT: return "ENOENT";
    case E_EXIST: return "EEXIST";
    case E_NOSPC: return "ENOSPC";
    case E_OVERFLOW: return "EOVERFLOW";
    default: return "EINVAL";
    }
}

static const char *fault_name(enum fault_reason f)
{
    switch (f) {
    case F_NO_CONTEXT: return "no-context";
    case F_BLOCKED: return "blocked";
    case F_PASID_NOT_ATTACHED: return "pasid-not-attached";
    case F_NOT_PRESENT: return "not-present";
    default: return "permission";
    }
}

static void print_result(struct result r, bool value_is_domain)
{
    if (r.is_translation) {
        if (r.fault == F_NONE)
            reply("pa %d", r.pa);
        else
            reply("fault %s", fault_name(r.fault));
    } else if (r.err != E_OK) {
        reply("%s", errno_name(r.err));
    } else if (r.value < 0) {
        reply("ok");
    } else {
        reply(value_is_domain ? "ok d%d" : "ok %d", r.value);
    }
}

/* Parses and applies one operation; false with a message when the line is not a valid operation. */
static bool run_op(enum opcode op, char **w, int n, char *msg)
{
    struct args a;
    if (!parse_args(w, n, op_table[op].keys, &a, msg))
        return false;
    struct reader r = { &a, msg };
    const struct scope *s = &live.sc;
    int dev = 0, slot = 0, pasid = 0, iova = 0, pa = 0, mm = 0, vm = 0, vp = 0;
    bool b = false;
    struct result res;

    switch (op) {
    case OP_ALLOC_DOMAIN: {
        int flags, parent = -1;
        const char *kind = need(&r, "kind");
        if (!read_dev(&r, &dev) || kind == NULL || !read_flags(&r, &flags))
            return false;
        if (strcmp(kind, "paging") == 0) {
            if (arg(&a, "parent") != NULL) {
                snprintf(msg, MSG_LEN, "\"parent\" is only for kind=nested");
                return false;
            }
            res = op_alloc_domain(&live, dev, KIND_PAGING, flags, -1);
        } else if (strcmp(kind, "nested") == 0) {
            if (!read_domain(&r, "parent", false, &parent))
                return false;
            res = op_alloc_domain(&live, dev, KIND_NESTED, flags, parent);
        } else {
            snprintf(msg, MSG_LEN, "\"kind\" must be paging or nested");
            return false;
        }
        print_result(res, true);
        return true;
    }
    case OP_FREE_DOMAIN:
        if (!read_domain(&r, "domain", false, &slot))
            return false;
        res = op_free_domain(&live, slot);
        break;
    case OP_ATTACH_RID:
    case OP_REPLACE_RID:
        if (!read_dev(&r, &dev) || !read_domain(&r, "domain", true, &slot))
            return false;
        res = op_attach_rid(&live, dev, slot, op == OP_REPLACE_RID);
        break;
    case OP_DETACH_RID:
        if (!read_dev(&r, &dev))
            return false;
        res = op_detach_rid(&live, dev);
        break;
    case OP_ATTACH_PASID:
    case OP_REPLACE_PASID:
        if (!read_dev(&r, &dev) || !read_num(&r, "pasid", 0, s->pasids, &pasid) ||
            !read_domain(&r, "domain", false, &slot))
            return false;
        res = op == OP_ATTACH_PASID ? op_attach_pasid(&live, dev, pasid, slot)
                                    : op_replace_pasid(&live, dev, pasid, slot);
        break;
    case OP_DETACH_PASID:
        if (!read_dev(&r, &dev) || !read_num(&r, "pasid", 0, s->pasids, &pasid))
            return false;
        res = op_detach_pasid(&live, dev, pasid);
        break;
    case OP_SVA_BIND:
    case OP_SVA_UNBIND:
        if (!read_dev(&r, &dev) || !read_named(&r, "mm", s->nmms, mm_name, &mm))
            return false;
        res = op == OP_SVA_BIND ? op_sva_bind(&live, dev, mm) : op_sva_unbind(&live, dev, mm);
        break;
    case OP_MAP:
        if (!read_domain(&r, "domain", false, &slot) || !read_num(&r, "iova", 0, s->iova_pages - 1, &iova) ||
            !read_num(&r, "pa", 0, s->phys_pages - 1, &pa) || !read_choice(&r, "perm", "r", "rw", &b))
            return false;
        res = op_map(&live, slot, iova, pa, b ? PERM_RW : PERM_R);
        break;
    case OP_UNMAP:
        if (!read_domain(&r, "domain", false, &slot) || !read_num(&r, "iova", 0, s->iova_pages - 1, &iova))
            return false;
        res = op_unmap(&live, slot, iova);
        break;
    case OP_INVALIDATE:
        if (!read_choice(&r, "scope", "fq", "all", &b))
            return false;
        res = op_invalidate(&live, b);
        break;
    case OP_TRANSLATE:
        if (!read_dev(&r, &dev) || !read_num(&r, "pasid", 0, s->pasids, &pasid) ||
            !read_num(&r, "iova", 0, s->iova_pages - 1, &iova) || !read_choice(&r, "access", "read", "write", &b))
            return false;
        res = op_translate(&live, dev, pasid, iova, b);
        break;
    case OP_VPASID_ALLOC:
    case OP_VPASID_FREE:
        if (!read_named(&r, "vm", s->nvms, vm_name, &vm) || !read_num(&r, "vpasid", 1, s->vpasids, &vp))
            return false;
        res = op == OP_VPASID_ALLOC ? op_vpasid_alloc(&live, vm, vp) : op_vpasid_free(&live, vm, vp);
        break;
    case OP_VPASID_ATTACH:
        if (!read_named(&r, "vm", s->nvms, vm_name, &vm) || !read_dev(&r, &dev) ||
            !read_num(&r, "vpasid", 1, s->vpasids, &vp) || !read_domain(&r, "domain", false, &slot))
            return false;
        res = op_vpasid_attach(&live, vm, dev, vp, slot);
        break;
    default:
        snprintf(msg, MSG_LEN, "internal: unhandled operation");
        return false;
    }
    print_result(res, false);
    return true;
}

/* ---------------------------------------------------------------------------
 * The main loop
 * ------------------------------------------------------------------------- */

/* Handles one line; returns false on "quit". */
static bool handle_line(char *line)
{
    char *w[MAX_WORDS];
    char msg[MSG_LEN];
    char c[64];
    int n = split_words(line, w);
    if (n < 0) {
        reply("error too many words on one line");
        return true;
    }
    if (n == 0)
        return true; /* blank lines are ignored */
    if (strcmp(w[0], "quit") == 0)
        return false;
    if (strcmp(w[0], "policy") == 0) {
        setup_policy(w, n);
        return true;
    }
    if (strcmp(w[0], "scope") == 0 || strcmp(w[0], "device") == 0 || strcmp(w[0], "mm") == 0 ||
        strcmp(w[0], "vm") == 0) {
        if (!pending.have_policy) {
            setup_error("\"%s\" before any \"policy\" line", w[0]);
            return true;
        }
        if (w[0][0] == 's')
            setup_scope(w, n);
        else if (w[0][0] == 'd')
            setup_device(w, n);
        else if (w[0][0] == 'm')
            setup_mm(w, n);
        else
            setup_vm(w, n);
        return true;
    }
    if (strcmp(w[0], "start") == 0) {
        if (n != 1)
            reply("error \"start\" takes no arguments");
        else
            setup_start();
        return true;
    }
    for (int op = 0; op < OP_COUNT; op++) {
        if (strcmp(w[0], op_table[op].name) != 0)
            continue;
        if (!started) {
            reply("error no start line before operations");
            return true;
        }
        if (!run_op((enum opcode)op, w, n, msg))
            reply("error %s", msg);
        return true;
    }
    clip(c, sizeof c, w[0]);
    reply("error unknown line \"%s\"", c);
    return true;
}

static void usage(FILE *to)
{
    fprintf(to, "usage: iommu-c [--bug forget-pasid-flush]\n"
                "Speaks the IommuVerify line protocol (spec/protocol.md) on standard input and output.\n"
                "  --bug forget-pasid-flush  unmap does not invalidate PASID-tagged IOTLB and device-TLB\n"
                "                            entries (a deliberate bug the conformance suite must catch)\n");
}

int main(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--bug") == 0 && i + 1 < argc && strcmp(argv[i + 1], "forget-pasid-flush") == 0) {
            live.bug_forget_pasid_flush = true;
            i++;
        } else if (strcmp(argv[i], "--bug=forget-pasid-flush") == 0) {
            live.bug_forget_pasid_flush = true;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            fprintf(stderr, "iommu-c: unknown argument \"%s\"\n", argv[i]);
            usage(stderr);
            return 2;
        }
    }

    static char line[LINE_MAX_LEN];
    for (;;) {
        /* Read one line by hand, so over-long lines and NUL bytes are noticed, never fatal. */
        size_t len = 0;
        bool too_long = false, nul = false;
        int ch;
        while ((ch = getchar()) != EOF && ch != '\n') {
            if (ch == '\0')
                nul = true;
            else if (len + 1 < sizeof line)
                line[len++] = (char)ch;
            else
                too_long = true;
        }
        if (ch == EOF && len == 0 && !too_long && !nul)
            break; /* end of input: the session is over */
        line[len] = '\0';
        if (too_long)
            reply("error line longer than %d characters", LINE_MAX_LEN - 1);
        else if (nul)
            reply("error NUL byte in line");
        else if (!handle_line(line))
            return 0;
        if (ch == EOF)
            break;
    }
    return 0;
}
