/*
 * model.h - state and operations of a small IOMMU domain/PASID implementation.
 *
 * This is an independent C implementation of the IommuVerify specification
 * (spec/objects.md, spec/operations.md). Rule IDs in comments refer to
 * spec/rules.txt and the fact IDs of spec/objects.md.
 *
 * The state is bounded by the MAX_* limits below; the protocol front end
 * (iommu.c) refuses a scope that does not fit.
 */
#ifndef IOMMU_C_MODEL_H
#define IOMMU_C_MODEL_H

#include <stdbool.h>

/* Bounds of one scope. The shipped model files use far less. */
#define MAX_DEVICES 32
#define MAX_GROUPS MAX_DEVICES
#define MAX_SLOTS 16
#define MAX_PASIDS 64        /* PASIDs 1..pasids; row index 0 is the RID */
#define MAX_IOVA 64
#define MAX_PHYS 4096
#define MAX_MMS 8
#define MAX_VMS 8
#define MAX_VPASIDS 64
#define MAX_NAME 64

#define PASID_ROW (MAX_PASIDS + 1)
#define VPASID_ROW (MAX_VPASIDS + 1)

/* Domain references (DomainRef): slots are >= 0. */
#define DOM_BLOCKED (-1)
#define DOM_IDENTITY (-2)
#define DOM_NONE (-3) /* a PASID with nothing attached */

/* Slot kinds. */
enum dom_kind { KIND_FREE = 0, KIND_PAGING = 1, KIND_SVA = 2, KIND_NESTED = 3 };

/* Allocation flags, as in the trace syntax. */
#define FLAG_PASID 1
#define FLAG_NEST_PARENT 2
#define FLAG_DIRTY 4

/* AMD page-table formats (DOM-ALLOC-7). */
enum pg_format { FMT_DEFAULT = 0, FMT_V1 = 1, FMT_V2 = 2 };

/* Permission bits of a PTE: read = 1, read-write = 3. A PTE of 0 means "not mapped". */
#define PERM_R 1
#define PERM_RW 3

/* IOTLB tags (TLB-TAG-1..4): (did << 8) | pasid, or TAG_NONE. */
#define TAG_NONE (-1)
#define DID_SHARED_SVA 60     /* TLB-TAG-2: Intel's shared SVA domain ID */
#define DID_PER_DEVICE_BASE 32 /* TLB-TAG-2: AMD per-device domain IDs */
#define NUM_DIDS 64

/* The mm page tables and owners. */
#define MM_TABLE_BASE 1000  /* page-table identity of mm m: MM_TABLE_BASE + m */
#define IDENTITY_TABLE (-2)
#define VM_OWNER_BASE 100   /* PASID owner value of VM v: VM_OWNER_BASE + v; mm m: 1 + m */

enum paging_pasid { PP_ALWAYS, PP_FLAG, PP_NEVER };
enum sva_on_rid { SOR_REFUSED, SOR_ALLOWED, SOR_UNCHECKED };
enum iotlb_tag { TAGS_DOMAIN, TAGS_DOMAIN_PASID, TAGS_RID_DOMAIN_PASID };
enum vpasid_scheme { VS_NONE, VS_IDENTITY, VS_ALLOCATED };

/* Errnos, in the spelling of the trace format. */
enum errno_code { E_OK = 0, E_INVAL, E_BUSY, E_OPNOTSUPP, E_NODEV, E_NOENT, E_EXIST, E_NOSPC, E_OVERFLOW };

/* Fault reasons of a translation. */
enum fault_reason { F_NONE = 0, F_NO_CONTEXT, F_BLOCKED, F_PASID_NOT_ATTACHED, F_NOT_PRESENT, F_PERMISSION };

/* The policy of a model file (spec/policies.md). */
struct policy {
    enum paging_pasid paging_pasid;
    bool split_formats;
    bool dirty_blocks_pasid;
    bool nest_parent_blocks_pasid;
    enum sva_on_rid sva_on_rid;
    enum iotlb_tag iotlb_tag;
    bool did_per_device;
    bool sva_shared_did;
    bool unmap_flush_rid_only;
    bool devtlb_flush;
    bool flush_on_detach;
    bool deferred;
    bool fq_iova_reuse;
    enum vpasid_scheme vpasid_scheme;
    bool passthrough_check;
};

struct device {
    char name[MAX_NAME];
    int group;
    int max_pasids; /* effective width (DEV-VF-1): a VF's is its PF's, 0 = no PASID */
    bool ats;
};

struct vm_device {
    int dev;
    bool passthrough; /* else mdev */
};

struct vm {
    char name[MAX_NAME];
    int ndevs;
    struct vm_device devs[MAX_DEVICES];
};

/* The fixed world of one session. */
struct scope {
    int slots, pasids, iova_pages, phys_pages, vpasids;
    int ndevices, ngroups, nmms, nvms;
    struct device devices[MAX_DEVICES];
    char mms[MAX_MMS][MAX_NAME];
    struct vm vms[MAX_VMS];
};

/*
 * Attachments and domains: everything a tag or a page walk depends on.
 * Kept apart from the caches so TLB-DETACH-1 can compare before and after.
 */
struct attach_state {
    int dom_kind[MAX_SLOTS];
    int dom_flags[MAX_SLOTS];
    int dom_format[MAX_SLOTS];
    int dom_mm[MAX_SLOTS];
    int dom_parent[MAX_SLOTS];
    int dom_users[MAX_SLOTS];
    int ptes[MAX_SLOTS][MAX_IOVA];
    int rid_domain[MAX_GROUPS];
    int pasid_domain[MAX_GROUPS][PASID_ROW]; /* slot or -1 */
};

/* The whole mutable state (STATE-INIT-1 gives its initial value). */
struct iommu {
    struct policy pol;
    struct scope sc;
    struct attach_state a;
    int guest_pasid[MAX_DEVICES][PASID_ROW];
    int mm_pasid[MAX_MMS];
    int sva_users[MAX_DEVICES][MAX_MMS];
    int pasid_owner[PASID_ROW];
    int vpasid_table[MAX_VMS][VPASID_ROW];
    /* IOTLB: one entry per (tag, iova); the PTE, 0 when empty. Indexed [did][pasid][iova]. */
    int iotlb[NUM_DIDS][PASID_ROW][MAX_IOVA];
    /* Device TLBs of ATS devices: one entry per (dev, pasid, iova); 0 when empty. */
    int devtlb[MAX_DEVICES][PASID_ROW][MAX_IOVA];
    /* Flush queue (TLB-FQ-1): (slot, iova) pairs whose invalidation is deferred. */
    bool fq[MAX_SLOTS][MAX_IOVA];
    /* Deliberate bug for the conformance suite: unmap forgets PASID-tagged entries. */
    bool bug_forget_pasid_flush;
};

/* The outcome of one operation: an errno, or ok with an optional value, or a translation. */
struct result {
    enum errno_code err;   /* E_OK on success */
    int value;             /* -1 for plain "ok" */
    bool is_translation;
    int pa;                /* when is_translation and fault == F_NONE */
    enum fault_reason fault;
};

void iommu_init(struct iommu *m); /* STATE-INIT-1: keeps policy, scope and bug switch */

struct result op_alloc_domain(struct iommu *m, int dev, int kind, int flags, int parent);
struct result op_free_domain(struct iommu *m, int slot);
struct result op_attach_rid(struct iommu *m, int dev, int target, bool replace);
struct result op_detach_rid(struct iommu *m, int dev);
struct result op_attach_pasid(struct iommu *m, int dev, int pasid, int slot);
struct result op_replace_pasid(struct iommu *m, int dev, int pasid, int slot);
struct result op_detach_pasid(struct iommu *m, int dev, int pasid);
struct result op_sva_bind(struct iommu *m, int dev, int mm);
struct result op_sva_unbind(struct iommu *m, int dev, int mm);
struct result op_map(struct iommu *m, int slot, int iova, int pa, int perm);
struct result op_unmap(struct iommu *m, int slot, int iova);
struct result op_invalidate(struct iommu *m, bool all);
struct result op_translate(struct iommu *m, int dev, int pasid, int iova, bool write);
struct result op_vpasid_alloc(struct iommu *m, int vm, int vpasid);
struct result op_vpasid_free(struct iommu *m, int vm, int vpasid);
struct result op_vpasid_attach(struct iommu *m, int vm, int dev, int vpasid, int slot);

#endif
