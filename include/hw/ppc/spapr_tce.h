/*
 * The sPAPR IOMMU: translation-control-entry (TCE) tables, one per DMA
 * window, each known to the guest by its logical I/O bus number (LIOBN),
 * filled with H_PUT_TCE and friends, read by devices doing DMA.
 */
#ifndef HW_PPC_SPAPR_TCE_H
#define HW_PPC_SPAPR_TCE_H

#include "qemu/osdep.h"

/* The page the hcalls count in (ioba and TCE lists are in 4 KiB units). */
#define SPAPR_TCE_PAGE_SHIFT 12
#define SPAPR_TCE_PAGE_SIZE (1ULL << SPAPR_TCE_PAGE_SHIFT)

/* A TCE's access bits (PAPR: the two low-order bits). */
#define SPAPR_TCE_READ PPC_BIT(63)
#define SPAPR_TCE_WRITE PPC_BIT(62)
#define SPAPR_TCE_RW (SPAPR_TCE_READ | SPAPR_TCE_WRITE)

/* LIOBNs as QEMU gives them: VIO devices use their reg; PHB index i window n below. */
#define SPAPR_VIO_LIOBN(reg) (0x00000000u | (reg))
#define SPAPR_PCI_LIOBN(i, n) (0x80000000u | ((i) << 8) | (n))
/* The DMA window of a VIO device: 256 MiB from bus address 0. */
#define SPAPR_VIO_DMA_WINDOW_SIZE 0x10000000ULL

typedef struct SpaprTceTable {
    uint32_t liobn;
    unsigned page_shift; /* the window's IOMMU page (12, 16, 21, 24, ...) */
    uint64_t bus_offset; /* the window's first bus address */
    uint64_t nb_table;   /* entries; 0: the window is disabled */
    uint64_t *table;     /* the TCEs as the guest wrote them */
    /*
     * For migration's pre-copy: a bit per SPAPR_TCE_CHUNK_ENTRIES entries
     * changed since migration last sent them, and a number that changes
     * whenever the window is opened, closed or the table created.
     */
    unsigned long *dirty;
    uint64_t gen;
} SpaprTceTable;

/* Entries per dirty-tracking chunk of a TCE table (4 KiB). */
#define SPAPR_TCE_CHUNK_ENTRIES 512u

/* A new, disabled table for liobn; a LIOBN in use is a programming error. */
SpaprTceTable *spapr_tce_new_table(uint32_t liobn);
void spapr_tce_table_free(SpaprTceTable *tcet);
/* Open the window: nb_table entries of 2^page_shift bytes from bus_offset, all invalid. */
void spapr_tce_table_enable(SpaprTceTable *tcet, unsigned page_shift, uint64_t bus_offset,
                            uint64_t nb_table);
void spapr_tce_table_disable(SpaprTceTable *tcet);
/* Every entry invalid (machine reset). */
void spapr_tce_table_clear(SpaprTceTable *tcet);
SpaprTceTable *spapr_tce_find_by_liobn(uint32_t liobn);
/* fn(table) for every table, in creation order (migration). */
void spapr_tce_foreach(void (*fn)(SpaprTceTable *tcet, void *opaque), void *opaque);
static inline uint64_t spapr_tce_window_size(const SpaprTceTable *tcet)
{
    return tcet->nb_table << tcet->page_shift;
}

/*
 * The guest-physical address of bus address iova, when its TCE grants the
 * access (read, or write); false when iova is outside the window or the
 * TCE does not allow it.  *room: bytes from there to the IOMMU page's end.
 */
bool spapr_tce_translate(SpaprTceTable *tcet, uint64_t iova, bool is_write, hwaddr *gpa,
                         uint64_t *room);
/*
 * DMA of len bytes at bus address iova.  Every page is checked (window,
 * permission, RAM) before any byte moves: false means nothing was
 * written (for a read, buf is undefined).
 */
bool spapr_tce_dma_read(SpaprTceTable *tcet, uint64_t iova, void *buf, uint64_t len);
bool spapr_tce_dma_write(SpaprTceTable *tcet, uint64_t iova, const void *buf, uint64_t len);

#endif
