/*
 * A folder replaced whole or not at all.  The new contents are written
 * into a fresh sibling (PARENT/.NAME.tmp-XXXXXX, mode 0700); on commit it
 * takes the folder's place in one step, renameat2(RENAME_EXCHANGE) when
 * the folder exists (then the old contents, now under the sibling's name,
 * are removed) and rename(2) when it does not.  So the folder is always the
 * old whole or the new whole: a build killed or failing half way (a full
 * disk) leaves the old one as it was (issue 19: `return build -o DIR` left
 * new tables beside an old return.json, and `bundle create --payload`
 * signed the mixture).
 *
 * The sibling is held (flock) while it is being built; a begin first
 * removes the siblings of NAME that nobody holds: those of a build that
 * was killed, or the old contents of one killed between the exchange and
 * their removal.
 */
#ifndef NRM_FOLDER_SWAP_H
#define NRM_FOLDER_SWAP_H

struct nrm_error;

struct nrm_folder_swap {
	char *dir;  /* the folder to replace, as given */
	char *tmp;  /* the fresh sibling to write into */
	int hold;   /* the sibling, open and locked; -1 when not held */
};

/* Sweeps abandoned siblings and makes a fresh one (s->tmp).  Fails with
 * EX_CANTCREAT when DIR's parent folder is missing or not writable. */
int nrm_folder_swap_begin(struct nrm_folder_swap *s, const char *dir, struct nrm_error *err);

/* Puts s->tmp in DIR's place and removes what DIR held.  On failure the
 * sibling is removed and DIR is untouched.  Frees s in any case. */
int nrm_folder_swap_commit(struct nrm_folder_swap *s, struct nrm_error *err);

/* Removes the sibling; DIR is untouched.  Frees s. */
void nrm_folder_swap_abort(struct nrm_folder_swap *s);

/* Removes the tree at `path` (not following links).  Best effort: 0 when
 * it is gone, -1 when something stayed. */
int nrm_remove_tree(const char *path);

#endif
