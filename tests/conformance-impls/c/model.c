/*
 * model.c - the operations of spec/operations.md on the state of model.h.
 *
 * Every operation checks its preconditions in the order the spec lists them
 * (the first failing one decides the errno) and changes nothing when it fails,
 * except SVA-BIND-8. Caches behave like a real IOMMU: a translation returns a
 * device-TLB hit, else an IOTLB hit under the context's tag, else the page
 * walk, and fills the caches with what it used (XLATE-8, XLATE-9).
 */
#include "model.h"

#include <string.h>

/* ---------------------------------------------------------------------------
 * Results
 * ------------------------------------------------------------------------- */

static struct result fail(enum errno_code e)
{
    struct result r = { .err = e, .value = -1 };
    return r;
}

static struct result ok(void)
{
    struct result r = { .err = E_OK, .value = -1 };
    return r;
}

static struct result ok_value(int v)
{
    struct result r = { .err = E_OK, .value = v };
    return r;
}

static struct result fault(enum fault_reason f)
{
    struct result r = { .err = E_OK, .value = -1, .is_translation = true, .fault = f };
    return r;
}

static struct result page(int pa)
{
    struct result r = { .err = E_OK, .value = -1, .is_translation = true, .pa = pa, .fault = F_NONE };
    return r;
}

/* ---------------------------------------------------------------------------
 * PTEs and tags
 * ------------------------------------------------------------------------- */

static int pte_make(int pa, int perm) { return (pa << 2) | perm; }
static int pte_pa(int pte) { return pte >> 2; }
static bool pte_writable(int pte) { return (pte & 2) != 0; }

static int tag_make(int did, int pasid) { return (did << 8) | pasid; }
static int tag_did(int tag) { return tag >> 8; }
static int tag_pasid(int tag) { return tag & 0xFF; }

/* XLATE-6: a write through a read-only PTE faults; otherwise the page. */
static struct result access_pte(int pte, bool write)
{
    if (write && !pte_writable(pte))
        return fault(F_PERMISSION);
    return page(pte_pa(pte));
}

/* ---------------------------------------------------------------------------
 * STATE-INIT-1
 * ------------------------------------------------------------------------- */

static void clear_slot(struct attach_state *a, int slot)
{
    a->dom_kind[slot] = KIND_FREE;
    a->dom_flags[slot] = 0;
    a->dom_format[slot] = FMT_DEFAULT;
    a->dom_mm[slot] = -1;
    a->dom_parent[slot] = -1;
    a->dom_users[slot] = 0;
    for (int i = 0; i < MAX_IOVA; i++)
        a->ptes[slot][i] = 0;
}

void iommu_init(struct iommu *m)
{
    /* Every slot free, every RID on blocked, nothing attached, owned, bound or cached. */
    memset(&m->a, 0, sizeof m->a);
    for (int s = 0; s < MAX_SLOTS; s++)
        clear_slot(&m->a, s);
    for (int g = 0; g < MAX_GROUPS; g++) {
        m->a.rid_domain[g] = DOM_BLOCKED;
        for (int p = 0; p < PASID_ROW; p++)
            m->a.pasid_domain[g][p] = -1;
    }
    memset(m->guest_pasid, 0, sizeof m->guest_pasid);
    memset(m->mm_pasid, 0, sizeof m->mm_pasid);
    memset(m->sva_users, 0, sizeof m->sva_users);
    memset(m->pasid_owner, 0, sizeof m->pasid_owner);
    memset(m->vpasid_table, 0, sizeof m->vpasid_table);
    memset(m->iotlb, 0, sizeof m->iotlb);
    memset(m->devtlb, 0, sizeof m->devtlb);
    memset(m->fq, 0, sizeof m->fq);
}

/* ---------------------------------------------------------------------------
 * Contexts, compatibility, tags and walks (read-only helpers)
 * ------------------------------------------------------------------------- */

static int group_of(const struct iommu *m, int dev) { return m->sc.devices[dev].group; }

/* XLATE-1, DEV-VF-1: a device issues PASID 0 and the PASIDs below its width. */
static bool can_issue(const struct iommu *m, int dev, int pasid)
{
    return pasid == 0 || pasid < m->sc.devices[dev].max_pasids;
}

/* The domain a context is attached to: a slot, DOM_BLOCKED, DOM_IDENTITY or DOM_NONE. */
static int context_domain(const struct iommu *m, const struct attach_state *a, int dev, int pasid)
{
    int g = group_of(m, dev);
    if (pasid == 0)
        return a->rid_domain[g];
    int d = a->pasid_domain[g][pasid];
    return d >= 0 ? d : DOM_NONE;
}

/* PASID-COMPAT-1: SVA domains, every paging domain under paging_pasid=always, or the pasid flag. */
static bool slot_pasid_compat(const struct iommu *m, const struct attach_state *a, int slot)
{
    return a->dom_kind[slot] == KIND_SVA || m->pol.paging_pasid == PP_ALWAYS ||
           (a->dom_flags[slot] & FLAG_PASID) != 0;
}

static bool nest_parent_blocking(const struct iommu *m, const struct attach_state *a, int slot)
{
    return m->pol.nest_parent_blocks_pasid && (a->dom_flags[slot] & FLAG_NEST_PARENT) != 0;
}

/* PASID-COMPAT-2: static domains, or a PASID-compatible slot that is not a blocking nest parent. */
static bool domain_pasid_compat_on_rid(const struct iommu *m, const struct attach_state *a, int dom)
{
    return dom < 0 || (slot_pasid_compat(m, a, dom) && !nest_parent_blocking(m, a, dom));
}

/* TLB-TAG-2: the domain ID a slot uses when reached from a device. */
static int did_of(const struct iommu *m, const struct attach_state *a, int slot, int dev)
{
    if (a->dom_kind[slot] == KIND_SVA && m->pol.sva_shared_did)
        return DID_SHARED_SVA;
    if (m->pol.did_per_device && a->dom_format[slot] == FMT_V2)
        return DID_PER_DEVICE_BASE + dev;
    return slot + 1;
}

/* TLB-TAG-1..4: the IOTLB tag of a context, or TAG_NONE. */
static int tag_of(const struct iommu *m, const struct attach_state *a, int dev, int pasid)
{
    if (!can_issue(m, dev, pasid))
        return TAG_NONE; /* TLB-TAG-1 */
    int g = group_of(m, dev);
    int rid = a->rid_domain[g];
    if (pasid == 0) /* TLB-TAG-1 (static RID domains are not cached), TLB-TAG-2 */
        return rid >= 0 ? tag_make(did_of(m, a, rid, dev), 0) : TAG_NONE;
    if (m->pol.iotlb_tag == TAGS_RID_DOMAIN_PASID) { /* TLB-TAG-3: AMD v2, the DTE's domain ID */
        int did = rid >= 0 ? did_of(m, a, rid, dev) : DID_PER_DEVICE_BASE + dev;
        return tag_make(did, pasid);
    }
    int d = a->pasid_domain[g][pasid]; /* TLB-TAG-4 */
    if (d < 0)
        return TAG_NONE;
    return tag_make(did_of(m, a, d, dev), m->pol.iotlb_tag == TAGS_DOMAIN_PASID ? pasid : 0);
}

/* Which page table a context walks: a slot, an mm (MM_TABLE_BASE + mm), IDENTITY_TABLE or -1. */
static int table_of(const struct iommu *m, const struct attach_state *a, int dev, int pasid)
{
    if (!can_issue(m, dev, pasid))
        return -1;
    int d = context_domain(m, a, dev, pasid);
    if (d == DOM_IDENTITY)
        return IDENTITY_TABLE;
    if (d < 0)
        return -1;
    return a->dom_kind[d] == KIND_SVA ? MM_TABLE_BASE + a->dom_mm[d] : d;
}

/* SVA-MM-1: mm m maps page i to (i + m + 1) mod phys_pages, read-write. */
static int mm_pte(const struct iommu *m, int mm, int iova)
{
    return pte_make((iova + mm + 1) % m->sc.phys_pages, PERM_RW);
}

/* The PTE a slot's walk finds; a nested domain walks its parent's table. */
static int slot_pte(const struct iommu *m, const struct attach_state *a, int slot, int iova)
{
    switch (a->dom_kind[slot]) {
    case KIND_PAGING: return a->ptes[slot][iova];
    case KIND_NESTED: return a->ptes[a->dom_parent[slot]][iova];
    case KIND_SVA: return mm_pte(m, a->dom_mm[slot], iova);
    default: return 0;
    }
}

/* XLATE-1..6: the page walk. Returns the PTE, or 0 with *why set. */
static int walk(const struct iommu *m, const struct attach_state *a, int dev, int pasid, int iova,
                enum fault_reason *why)
{
    *why = F_NONE;
    if (!can_issue(m, dev, pasid)) {
        *why = F_NO_CONTEXT;
        return 0;
    }
    int d = context_domain(m, a, dev, pasid);
    if (d == DOM_IDENTITY) /* XLATE-3 */
        return pte_make(iova % m->sc.phys_pages, PERM_RW);
    if (d == DOM_BLOCKED) {
        *why = F_BLOCKED; /* XLATE-2 */
        return 0;
    }
    if (d < 0) {
        *why = F_PASID_NOT_ATTACHED; /* XLATE-4 */
        return 0;
    }
    int pte = slot_pte(m, a, d, iova);
    if (pte == 0)
        *why = F_NOT_PRESENT; /* XLATE-5 */
    return pte;
}

/* True when a context's domain is the slot, or a nested domain over it. */
static bool context_uses(const struct iommu *m, const struct attach_state *a, int dev, int pasid, int slot)
{
    if (!can_issue(m, dev, pasid))
        return false;
    int d = context_domain(m, a, dev, pasid);
    return d == slot || (d >= 0 && a->dom_kind[d] == KIND_NESTED && a->dom_parent[d] == slot);
}

/* ---------------------------------------------------------------------------
 * Invalidation
 * ------------------------------------------------------------------------- */

static void iotlb_drop_tag(struct iommu *m, int tag)
{
    int did = tag_did(tag), pasid = tag_pasid(tag);
    for (int i = 0; i < MAX_IOVA; i++)
        m->iotlb[did][pasid][i] = 0;
}

/*
 * TLB-DETACH-1: after an attachment change in a group, for every device of the
 * group and every PASID row whose tag or page table changed, drop the IOTLB
 * entries under the old tag and the row's device-TLB entries.
 */
static void flush_changed_contexts(struct iommu *m, const struct attach_state *before, int group)
{
    if (!m->pol.flush_on_detach)
        return;
    for (int dev = 0; dev < m->sc.ndevices; dev++) {
        if (m->sc.devices[dev].group != group)
            continue;
        for (int p = 0; p <= m->sc.pasids; p++) {
            int old_tag = tag_of(m, before, dev, p);
            if (old_tag == tag_of(m, &m->a, dev, p) && table_of(m, before, dev, p) == table_of(m, &m->a, dev, p))
                continue;
            if (old_tag != TAG_NONE)
                iotlb_drop_tag(m, old_tag);
            for (int i = 0; i < MAX_IOVA; i++)
                m->devtlb[dev][p][i] = 0;
        }
    }
}

/*
 * UNMAP-FLUSH-1..3: the invalidation of (slot, iova) for every context that
 * uses the slot, found from the attachments at flush time.
 */
static void flush_domain_page(struct iommu *m, int slot, int iova)
{
    for (int dev = 0; dev < m->sc.ndevices; dev++) {
        for (int p = 0; p <= m->sc.pasids; p++) {
            if (!context_uses(m, &m->a, dev, p, slot))
                continue;
            if (m->pol.unmap_flush_rid_only && p != 0) /* UNMAP-FLUSH-2 (a buggy policy) */
                continue;
            if (m->bug_forget_pasid_flush && p != 0) /* the deliberate bug of --bug forget-pasid-flush */
                continue;
            int tag = tag_of(m, &m->a, dev, p);
            if (tag != TAG_NONE) /* UNMAP-FLUSH-1 */
                m->iotlb[tag_did(tag)][tag_pasid(tag)][iova] = 0;
            if (m->pol.devtlb_flush && m->sc.devices[dev].ats) /* UNMAP-FLUSH-3 */
                m->devtlb[dev][p][iova] = 0;
        }
    }
}

/* TLB-FQ-1: drain the queued (slot, iova) pairs of one slot, or of all slots when slot < 0. */
static void drain_queue(struct iommu *m, int only_slot)
{
    for (int s = 0; s < m->sc.slots; s++) {
        if (only_slot >= 0 && s != only_slot)
            continue;
        for (int i = 0; i < m->sc.iova_pages; i++) {
            if (m->fq[s][i]) {
                flush_domain_page(m, s, i);
                m->fq[s][i] = false;
            }
        }
    }
}

/* ---------------------------------------------------------------------------
 * Domains: alloc_domain, free_domain
 * ------------------------------------------------------------------------- */

static int lowest_free_slot(const struct iommu *m)
{
    for (int s = 0; s < m->sc.slots; s++)
        if (m->a.dom_kind[s] == KIND_FREE)
            return s;
    return -1;
}

struct result op_alloc_domain(struct iommu *m, int dev, int kind, int flags, int parent)
{
    (void)dev; /* the device the domain is allocated for does not change the result */
    struct attach_state *a = &m->a;
    int format = FMT_DEFAULT;
    if (kind == KIND_NESTED) {
        if (flags & (FLAG_NEST_PARENT | FLAG_DIRTY))
            return fail(E_OPNOTSUPP); /* DOM-ALLOC-4: flags are refused before the parent is looked at */
        if (a->dom_kind[parent] == KIND_FREE)
            return fail(E_INVAL); /* DOM-ALLOC-2 */
        if (a->dom_kind[parent] != KIND_PAGING || (a->dom_flags[parent] & FLAG_NEST_PARENT) == 0)
            return fail(E_INVAL); /* DOM-ALLOC-3 */
        format = a->dom_format[parent];
    } else if (m->pol.split_formats) {
        if ((flags & FLAG_PASID) && (flags & FLAG_DIRTY))
            return fail(E_OPNOTSUPP); /* DOM-ALLOC-5 */
        format = (flags & FLAG_PASID) ? FMT_V2 : FMT_V1;
    }
    int slot = lowest_free_slot(m);
    if (slot < 0)
        return fail(E_NOSPC); /* DOM-ALLOC-1 */
    /* DOM-ALLOC-6 (nested), DOM-ALLOC-7 (split formats), DOM-ALLOC-8 */
    a->dom_kind[slot] = kind;
    a->dom_flags[slot] = flags;
    a->dom_format[slot] = format;
    a->dom_parent[slot] = kind == KIND_NESTED ? parent : -1;
    a->dom_mm[slot] = -1;
    a->dom_users[slot] = 0;
    return ok_value(slot);
}

/* Attached to any RID or PASID, or the parent of a live nested domain. */
static bool slot_in_use(const struct iommu *m, int slot)
{
    for (int g = 0; g < m->sc.ngroups; g++) {
        if (m->a.rid_domain[g] == slot)
            return true;
        for (int p = 0; p <= m->sc.pasids; p++)
            if (m->a.pasid_domain[g][p] == slot)
                return true;
    }
    for (int s = 0; s < m->sc.slots; s++)
        if (m->a.dom_kind[s] == KIND_NESTED && m->a.dom_parent[s] == slot)
            return true;
    return false;
}

struct result op_free_domain(struct iommu *m, int slot)
{
    if (m->a.dom_kind[slot] == KIND_FREE)
        return fail(E_NOENT); /* DOM-FREE-1 */
    if (m->a.dom_kind[slot] == KIND_SVA)
        return fail(E_INVAL); /* DOM-FREE-2 */
    if (slot_in_use(m, slot))
        return fail(E_BUSY); /* DOM-FREE-3 */
    drain_queue(m, slot); /* DOM-FREE-4, TLB-FQ-1: deferred invalidations go out first */
    clear_slot(&m->a, slot);
    return ok();
}

/* SVA-UNBIND-3/4: free an SVA domain left with no users and on no RID. */
static bool release_unused_sva(struct iommu *m, int slot)
{
    if (slot < 0 || m->a.dom_kind[slot] != KIND_SVA || m->a.dom_users[slot] > 0)
        return false;
    for (int g = 0; g < m->sc.ngroups; g++)
        if (m->a.rid_domain[g] == slot)
            return false;
    clear_slot(&m->a, slot);
    return true;
}

/* ---------------------------------------------------------------------------
 * RID attachment
 * ------------------------------------------------------------------------- */

static bool group_has_pasids(const struct iommu *m, int g)
{
    for (int p = 1; p <= m->sc.pasids; p++)
        if (m->a.pasid_domain[g][p] >= 0)
            return true;
    return false;
}

struct result op_attach_rid(struct iommu *m, int dev, int target, bool replace)
{
    int g = group_of(m, dev);
    if (target >= 0 && m->a.dom_kind[target] == KIND_FREE)
        return fail(E_NOENT); /* RID-ATTACH-1 */
    int current = m->a.rid_domain[g];
    if (!replace && current != DOM_BLOCKED)
        return fail(E_BUSY); /* RID-ATTACH-2 */
    if (replace && current == DOM_BLOCKED)
        return fail(E_INVAL); /* RID-REPLACE-3 */
    if (replace && current == target)
        return ok(); /* RID-REPLACE-1 */
    if (target >= 0 && m->a.dom_kind[target] == KIND_SVA && m->pol.sva_on_rid == SOR_REFUSED)
        return fail(E_NODEV); /* RID-ATTACH-3 (RID-ATTACH-4 lets it through otherwise) */
    if (group_has_pasids(m, g) && !domain_pasid_compat_on_rid(m, &m->a, target))
        return fail(E_INVAL); /* RID-ATTACH-5 */

    /* RID-ATTACH-6 / RID-REPLACE-2 */
    struct attach_state before = m->a;
    m->a.rid_domain[g] = target;
    flush_changed_contexts(m, &before, g);
    release_unused_sva(m, current); /* SVA-UNBIND-4 */
    return ok();
}

struct result op_detach_rid(struct iommu *m, int dev)
{
    int g = group_of(m, dev);
    if (m->a.rid_domain[g] == DOM_BLOCKED)
        return ok(); /* RID-DETACH-1 */
    struct attach_state before = m->a;
    int old = m->a.rid_domain[g];
    m->a.rid_domain[g] = DOM_BLOCKED; /* RID-DETACH-2 */
    flush_changed_contexts(m, &before, g);
    release_unused_sva(m, old); /* SVA-UNBIND-4 */
    return ok();
}

/* ---------------------------------------------------------------------------
 * PASID attachment
 * ------------------------------------------------------------------------- */

/* The PASID attach checks PASID-ATTACH-1..11 in the model's order: 1, 3, 6, 7, 4, 5, 2, 8, 9, 10, 11. */
static enum errno_code pasid_attach_check(const struct iommu *m, int dev, int pasid, int slot, bool sva_caller,
                                          bool replacing)
{
    const struct attach_state *a = &m->a;
    int g = group_of(m, dev);
    if (a->dom_kind[slot] == KIND_FREE)
        return E_NOENT; /* PASID-ATTACH-1 */
    if (m->sc.devices[dev].max_pasids == 0)
        return E_NODEV; /* PASID-ATTACH-3 */
    if (!slot_pasid_compat(m, a, slot))
        return E_INVAL; /* PASID-ATTACH-6 */
    if (!domain_pasid_compat_on_rid(m, a, a->rid_domain[g]))
        return E_INVAL; /* PASID-ATTACH-7 */
    if (a->dom_kind[slot] != KIND_SVA && m->pol.paging_pasid == PP_NEVER)
        return E_OPNOTSUPP; /* PASID-ATTACH-4 */
    if (a->dom_kind[slot] == KIND_SVA && !sva_caller)
        return E_INVAL; /* PASID-ATTACH-5 */
    if (pasid == 0)
        return E_INVAL; /* PASID-ATTACH-2 */
    for (int other = 0; other < m->sc.ndevices; other++) {
        int max = m->sc.devices[other].max_pasids;
        if (m->sc.devices[other].group == g && max > 0 && pasid >= max)
            return E_INVAL; /* PASID-ATTACH-8 */
    }
    if (!replacing && a->pasid_domain[g][pasid] >= 0)
        return E_BUSY; /* PASID-ATTACH-9 */
    if (m->pol.dirty_blocks_pasid && (a->dom_flags[slot] & FLAG_DIRTY))
        return E_INVAL; /* PASID-ATTACH-10 */
    if (m->pol.nest_parent_blocks_pasid && (a->dom_flags[slot] & FLAG_NEST_PARENT))
        return E_INVAL; /* PASID-ATTACH-11 */
    return E_OK;
}

/* Set (group, pasid) to a slot (or -1), clear the guest PASIDs of that row, flush what changed. */
static void set_group_pasid(struct iommu *m, int dev, int pasid, int slot)
{
    int g = group_of(m, dev);
    struct attach_state before = m->a;
    m->a.pasid_domain[g][pasid] = slot;
    for (int other = 0; other < m->sc.ndevices; other++)
        if (m->sc.devices[other].group == g)
            m->guest_pasid[other][pasid] = 0;
    flush_changed_contexts(m, &before, g); /* TLB-DETACH-1 */
}

struct result op_attach_pasid(struct iommu *m, int dev, int pasid, int slot)
{
    enum errno_code e = pasid_attach_check(m, dev, pasid, slot, false, false);
    if (e != E_OK)
        return fail(e);
    set_group_pasid(m, dev, pasid, slot); /* PASID-ATTACH-12 */
    return ok();
}

struct result op_replace_pasid(struct iommu *m, int dev, int pasid, int slot)
{
    if (m->a.dom_kind[slot] == KIND_FREE)
        return fail(E_NOENT); /* PASID-ATTACH-1 */
    if (pasid == 0)
        return fail(E_INVAL); /* PASID-ATTACH-2 */
    int current = m->a.pasid_domain[group_of(m, dev)][pasid];
    if (current < 0)
        return fail(E_INVAL); /* PASID-REPLACE-1 */
    if (m->a.dom_kind[current] == KIND_SVA)
        return fail(E_BUSY); /* PASID-REPLACE-2 */
    if (current == slot)
        return ok(); /* PASID-REPLACE-3 */
    enum errno_code e = pasid_attach_check(m, dev, pasid, slot, false, true);
    if (e != E_OK)
        return fail(e);
    set_group_pasid(m, dev, pasid, slot); /* PASID-REPLACE-4 */
    return ok();
}

struct result op_detach_pasid(struct iommu *m, int dev, int pasid)
{
    if (pasid == 0)
        return fail(E_INVAL); /* PASID-DETACH-1 */
    int current = m->a.pasid_domain[group_of(m, dev)][pasid];
    if (current < 0)
        return ok(); /* PASID-DETACH-2 */
    if (m->a.dom_kind[current] == KIND_SVA)
        return fail(E_BUSY); /* PASID-DETACH-3 */
    set_group_pasid(m, dev, pasid, -1); /* PASID-DETACH-4 */
    return ok();
}

/* ---------------------------------------------------------------------------
 * SVA
 * ------------------------------------------------------------------------- */

/* The lowest PASID in 1..min(pasids, below - 1) that nobody owns; -1 if none. */
static int lowest_free_pasid(const struct iommu *m, int below)
{
    int top = m->sc.pasids + 1 < below ? m->sc.pasids + 1 : below;
    for (int p = 1; p < top; p++)
        if (m->pasid_owner[p] == 0)
            return p;
    return -1;
}

struct result op_sva_bind(struct iommu *m, int dev, int mm)
{
    int max = m->sc.devices[dev].max_pasids;
    int pasid = m->mm_pasid[mm];
    if (pasid != 0) {
        if (pasid >= max)
            return fail(E_OVERFLOW); /* SVA-BIND-2 */
    } else {
        pasid = lowest_free_pasid(m, max);
        if (pasid < 0)
            return fail(E_NOSPC); /* SVA-BIND-3 */
        /* SVA-BIND-8: the mm keeps this PASID even if a later check fails. */
        m->mm_pasid[mm] = pasid;
        m->pasid_owner[pasid] = 1 + mm;
    }

    if (m->sva_users[dev][mm] > 0) {
        m->sva_users[dev][mm]++; /* SVA-BIND-1 */
        return ok_value(pasid);
    }

    /* SVA-BIND-4: reuse an existing SVA domain of the mm, lowest slot first. */
    for (int s = 0; s < m->sc.slots; s++) {
        if (m->a.dom_kind[s] == KIND_SVA && m->a.dom_mm[s] == mm &&
            pasid_attach_check(m, dev, pasid, s, true, false) == E_OK) {
            set_group_pasid(m, dev, pasid, s);
            m->a.dom_users[s]++;
            m->sva_users[dev][mm] = 1;
            return ok_value(pasid);
        }
    }

    int fresh = lowest_free_slot(m);
    if (fresh < 0)
        return fail(E_NOSPC); /* SVA-BIND-5 (+ SVA-BIND-8) */

    m->a.dom_kind[fresh] = KIND_SVA;
    m->a.dom_mm[fresh] = mm;
    m->a.dom_flags[fresh] = 0;
    m->a.dom_format[fresh] = FMT_DEFAULT;
    m->a.dom_parent[fresh] = -1;
    enum errno_code e = pasid_attach_check(m, dev, pasid, fresh, true, false);
    if (e != E_OK) {
        clear_slot(&m->a, fresh); /* SVA-BIND-6: the fresh domain is discarded (+ SVA-BIND-8) */
        return fail(e);
    }
    set_group_pasid(m, dev, pasid, fresh); /* SVA-BIND-7 */
    m->a.dom_users[fresh] = 1;
    m->sva_users[dev][mm] = 1;
    return ok_value(pasid);
}

struct result op_sva_unbind(struct iommu *m, int dev, int mm)
{
    if (m->sva_users[dev][mm] == 0)
        return fail(E_NOENT); /* SVA-UNBIND-1 */
    if (m->sva_users[dev][mm] > 1) {
        m->sva_users[dev][mm]--; /* SVA-UNBIND-2 */
        return ok();
    }
    m->sva_users[dev][mm] = 0;
    int pasid = m->mm_pasid[mm]; /* the mm keeps its PASID */
    int slot = m->a.pasid_domain[group_of(m, dev)][pasid];
    set_group_pasid(m, dev, pasid, -1);
    if (slot >= 0) {
        m->a.dom_users[slot]--;
        release_unused_sva(m, slot); /* SVA-UNBIND-3, or SVA-UNBIND-5 when it stays */
    }
    return ok();
}

/* ---------------------------------------------------------------------------
 * map, unmap, invalidate
 * ------------------------------------------------------------------------- */

struct result op_map(struct iommu *m, int slot, int iova, int pa, int perm)
{
    if (m->a.dom_kind[slot] == KIND_FREE)
        return fail(E_NOENT); /* MAP-1 */
    if (m->a.dom_kind[slot] != KIND_PAGING)
        return fail(E_INVAL); /* MAP-2 */
    if (m->a.ptes[slot][iova] != 0)
        return fail(E_EXIST); /* MAP-3 */
    if (m->fq[slot][iova] && !m->pol.fq_iova_reuse)
        return fail(E_BUSY); /* MAP-4 */
    m->a.ptes[slot][iova] = pte_make(pa, perm); /* MAP-5, MAP-6 */
    return ok();
}

struct result op_unmap(struct iommu *m, int slot, int iova)
{
    if (m->a.dom_kind[slot] == KIND_FREE)
        return fail(E_NOENT); /* UNMAP-1 */
    if (m->a.dom_kind[slot] != KIND_PAGING)
        return fail(E_INVAL); /* UNMAP-2 */
    if (m->a.ptes[slot][iova] == 0)
        return ok_value(0); /* UNMAP-3 */
    m->a.ptes[slot][iova] = 0;
    if (!m->pol.deferred) {
        flush_domain_page(m, slot, iova); /* UNMAP-4 */
        return ok_value(1);
    }
    m->fq[slot][iova] = true; /* UNMAP-5 */
    return ok_value(1);
}

struct result op_invalidate(struct iommu *m, bool all)
{
    if (!all) {
        drain_queue(m, -1); /* INVAL-1 */
        return ok();
    }
    memset(m->iotlb, 0, sizeof m->iotlb); /* INVAL-2 */
    memset(m->devtlb, 0, sizeof m->devtlb);
    memset(m->fq, 0, sizeof m->fq);
    return ok();
}

/* ---------------------------------------------------------------------------
 * translate
 * ------------------------------------------------------------------------- */

struct result op_translate(struct iommu *m, int dev, int pasid, int iova, bool write)
{
    if (!can_issue(m, dev, pasid))
        return fault(F_NO_CONTEXT); /* XLATE-1: nothing cached */

    bool ats = m->sc.devices[dev].ats;
    int d = context_domain(m, &m->a, dev, pasid);

    /* XLATE-8: the device's own TLB answers first. */
    if (ats && m->devtlb[dev][pasid][iova] != 0)
        return access_pte(m->devtlb[dev][pasid][iova], write);

    /* XLATE-8: then the IOTLB under the context's current tag. */
    int tag = tag_of(m, &m->a, dev, pasid);
    if (tag != TAG_NONE) {
        int hit = m->iotlb[tag_did(tag)][tag_pasid(tag)][iova];
        if (hit != 0) {
            if (ats && d != DOM_IDENTITY)
                m->devtlb[dev][pasid][iova] = hit; /* XLATE-9: the device caches what it used */
            return access_pte(hit, write);
        }
    }

    /* XLATE-2..7: the walk. */
    enum fault_reason why;
    int pte = walk(m, &m->a, dev, pasid, iova, &why);
    if (pte == 0)
        return fault(why);
    if (d != DOM_IDENTITY) { /* XLATE-9; identity is never cached */
        if (tag != TAG_NONE)
            m->iotlb[tag_did(tag)][tag_pasid(tag)][iova] = pte;
        if (ats)
            m->devtlb[dev][pasid][iova] = pte;
    }
    return access_pte(pte, write);
}

/* ---------------------------------------------------------------------------
 * vPASID (proposals of seeds/000 and seeds/002)
 * ------------------------------------------------------------------------- */

struct result op_vpasid_alloc(struct iommu *m, int vm, int vpasid)
{
    if (m->pol.vpasid_scheme == VS_NONE)
        return fail(E_OPNOTSUPP); /* VPASID-ALLOC-1 */
    if (m->vpasid_table[vm][vpasid] != 0)
        return fail(E_EXIST); /* VPASID-ALLOC-2 */
    int pp;
    if (m->pol.vpasid_scheme == VS_IDENTITY) {
        if (vpasid > m->sc.pasids)
            return fail(E_INVAL); /* VPASID-ALLOC-3 */
        if (m->pasid_owner[vpasid] != 0)
            return fail(E_BUSY); /* VPASID-ALLOC-4 */
        pp = vpasid; /* VPASID-ALLOC-6 */
    } else {
        pp = lowest_free_pasid(m, m->sc.pasids + 1);
        if (pp < 0)
            return fail(E_NOSPC); /* VPASID-ALLOC-5 */
        /* VPASID-ALLOC-7 */
    }
    m->vpasid_table[vm][vpasid] = pp;
    m->pasid_owner[pp] = VM_OWNER_BASE + vm;
    return ok_value(pp);
}

struct result op_vpasid_free(struct iommu *m, int vm, int vpasid)
{
    if (m->pol.vpasid_scheme == VS_NONE)
        return fail(E_OPNOTSUPP); /* VPASID-FREE-1 */
    int pp = m->vpasid_table[vm][vpasid];
    if (pp == 0)
        return fail(E_NOENT); /* VPASID-FREE-2 */
    const struct vm *v = &m->sc.vms[vm];
    for (int i = 0; i < v->ndevs; i++)
        if (m->a.pasid_domain[group_of(m, v->devs[i].dev)][pp] >= 0)
            return fail(E_BUSY); /* VPASID-FREE-3 */
    m->vpasid_table[vm][vpasid] = 0; /* VPASID-FREE-4 */
    m->pasid_owner[pp] = 0;
    return ok();
}

/* The VM a device is assigned to (a device is in at most one), or -1; *passthrough says how. */
static int vm_of(const struct iommu *m, int dev, bool *passthrough)
{
    for (int v = 0; v < m->sc.nvms; v++)
        for (int i = 0; i < m->sc.vms[v].ndevs; i++)
            if (m->sc.vms[v].devs[i].dev == dev) {
                *passthrough = m->sc.vms[v].devs[i].passthrough;
                return v;
            }
    return -1;
}

struct result op_vpasid_attach(struct iommu *m, int vm, int dev, int vpasid, int slot)
{
    if (m->pol.vpasid_scheme == VS_NONE)
        return fail(E_OPNOTSUPP); /* VPASID-ATTACH-1 */
    bool passthrough = false;
    if (vm_of(m, dev, &passthrough) != vm)
        return fail(E_INVAL); /* VPASID-ATTACH-2 */
    int pp = m->vpasid_table[vm][vpasid];
    if (pp == 0)
        return fail(E_NOENT); /* VPASID-ATTACH-3 */
    if (passthrough && pp != vpasid && m->pol.passthrough_check)
        return fail(E_INVAL); /* VPASID-ATTACH-4 */
    enum errno_code e = pasid_attach_check(m, dev, pp, slot, false, false);
    if (e != E_OK)
        return fail(e); /* PASID-ATTACH-1..11 on the pPASID */
    set_group_pasid(m, dev, pp, slot);
    if (passthrough)
        m->guest_pasid[dev][pp] = vpasid; /* VPASID-ATTACH-5; VPASID-ATTACH-6 for an mdev */
    return ok_value(pp);
}
