#include <cblas.h>
#include <stddef.h>

/* LAPACK's divide-and-conquer SVD, double precision (Fortran calling convention: every argument
   by pointer, the hidden length of the character argument last). OpenBLAS ships LAPACK and
   exports `dgesdd_` from libopenblas, but Debian installs no lapack.h/lapacke.h for it, so the
   one prototype needed is declared here. */
void dgesdd_(const char *jobz, const int *m, const int *n, double *a, const int *lda, double *s,
             double *u, const int *ldu, double *vt, const int *ldvt, double *work, const int *lwork,
             int *iwork, int *info, size_t jobz_length);
