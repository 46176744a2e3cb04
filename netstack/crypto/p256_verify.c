#include "p256_verify.h"

#include <string.h>

#include "bignum.h"

/* Jacobian coordinates: x = X/Z^2, y = Y/Z^3. inf marks the point at infinity
 * explicitly: verification branches on public data anyway. */
typedef struct {
    p256_fe x, y, z;
    int inf;
} jac;

#define WIN_G 6
#define WIN_Q 5
#define Q_COUNT (1 << (WIN_Q - 2))

/* 2p, "dbl-2001-b" for a = -3: 3M + 5S. */
static void jac_double(jac *r, const jac *p)
{
    p256_fe delta, gamma, beta, alpha, t, u;
    if (p->inf) {
        r->inf = 1;
        return;
    }
    p256_fe_sqr(delta, p->z);
    p256_fe_sqr(gamma, p->y);
    p256_fe_mul(beta, p->x, gamma);
    p256_fe_sub(t, p->x, delta);
    p256_fe_add(u, p->x, delta);
    p256_fe_mul(alpha, t, u);
    p256_fe_add(t, alpha, alpha);
    p256_fe_add(alpha, t, alpha); /* 3 (x - delta)(x + delta) */
    p256_fe_add(t, p->y, p->z);
    p256_fe_sqr(t, t);
    p256_fe_sub(t, t, gamma);
    p256_fe_sub(r->z, t, delta);  /* p->z read above: r may alias p */
    p256_fe_add(beta, beta, beta);
    p256_fe_add(beta, beta, beta); /* 4 beta */
    p256_fe_sqr(t, alpha);
    p256_fe_sub(t, t, beta);
    p256_fe_sub(r->x, t, beta);   /* alpha^2 - 8 beta */
    p256_fe_sub(t, beta, r->x);
    p256_fe_mul(t, alpha, t);
    p256_fe_sqr(u, gamma);
    p256_fe_add(u, u, u);
    p256_fe_add(u, u, u);
    p256_fe_add(u, u, u);         /* 8 gamma^2 */
    p256_fe_sub(r->y, t, u);
    r->inf = 0;
}

/* r = p + q with q = (qx, qy, qz); qz == NULL means Z = 1 (mixed addition,
 * 7M + 4S; general "add-2007-bl" is 11M + 5S). r may alias p. */
static void jac_add(jac *r, const jac *p, const p256_fe qx, const p256_fe qy, const p256_fe qz)
{
    p256_fe z1z1, z2z2, u1, u2, s1, s2, h, i, j, rr, v, t;
    if (p->inf) {
        memcpy(r->x, qx, sizeof(p256_fe));
        memcpy(r->y, qy, sizeof(p256_fe));
        if (qz) {
            memcpy(r->z, qz, sizeof(p256_fe));
        } else {
            memset(r->z, 0, sizeof(p256_fe));
            r->z[0] = 1;
        }
        r->inf = 0;
        return;
    }
    p256_fe_sqr(z1z1, p->z);
    if (qz) {
        p256_fe_sqr(z2z2, qz);
        p256_fe_mul(u1, p->x, z2z2);
        p256_fe_mul(s1, p->y, qz);
        p256_fe_mul(s1, s1, z2z2);
    } else {
        memcpy(u1, p->x, sizeof(p256_fe));
        memcpy(s1, p->y, sizeof(p256_fe));
    }
    p256_fe_mul(u2, qx, z1z1);
    p256_fe_mul(s2, qy, p->z);
    p256_fe_mul(s2, s2, z1z1);
    p256_fe_sub(h, u2, u1);
    p256_fe_sub(rr, s2, s1);
    if (p256_fe_is_zero(h)) {
        if (p256_fe_is_zero(rr)) {
            jac_double(r, p); /* same point */
        } else {
            r->inf = 1;       /* opposite points */
        }
        return;
    }
    p256_fe_add(i, h, h);
    p256_fe_sqr(i, i);            /* (2h)^2 */
    p256_fe_mul(j, h, i);
    p256_fe_add(rr, rr, rr);
    p256_fe_mul(v, u1, i);
    /* Z3 first: it reads p->z, which r may alias. */
    if (qz) {
        p256_fe_add(t, p->z, qz);
        p256_fe_sqr(t, t);
        p256_fe_sub(t, t, z1z1);
        p256_fe_sub(t, t, z2z2);
        p256_fe_mul(r->z, t, h);
    } else {
        p256_fe_add(t, p->z, h);
        p256_fe_sqr(t, t);
        p256_fe_sub(t, t, z1z1);
        p256_fe_sqr(z2z2, h);
        p256_fe_sub(r->z, t, z2z2); /* (Z1 + H)^2 - Z1Z1 - HH = 2 Z1 H */
    }
    p256_fe_sqr(t, rr);
    p256_fe_sub(t, t, j);
    p256_fe_sub(t, t, v);
    p256_fe_sub(r->x, t, v);
    p256_fe_sub(t, v, r->x);
    p256_fe_mul(t, rr, t);
    p256_fe_mul(s1, s1, j);
    p256_fe_add(s1, s1, s1);
    p256_fe_sub(r->y, t, s1);
    r->inf = 0;
}

/* Width-w NAF of k (< 2^256): digits d[0..256], each 0 or odd in
 * (-2^(w-1), 2^(w-1)), with k = sum d[i] 2^i. Public data only. */
static void wnaf(int8_t d[257], const p256_sc k, int w)
{
    uint32_t t[9];
    memcpy(t, k, 32);
    t[8] = 0;
    const int32_t full = 1 << w;
    for (int i = 0; i < 257; i++) {
        int32_t digit = 0;
        if (t[0] & 1u) {
            digit = (int32_t)(t[0] & (uint32_t)(full - 1));
            if (digit >= full / 2) {
                digit -= full;
            }
            /* t -= digit, leaving t divisible by 2^w */
            int64_t acc = (int64_t)t[0] - digit;
            t[0] = (uint32_t)acc;
            acc >>= 32;
            for (int j = 1; j < 9 && acc != 0; j++) {
                acc += t[j];
                t[j] = (uint32_t)acc;
                acc >>= 32;
            }
        }
        d[i] = (int8_t)digit;
        for (int j = 0; j < 8; j++) {
            t[j] = (t[j] >> 1) | (t[j + 1] << 31);
        }
        t[8] >>= 1;
    }
}

int p256_verify_combination(const p256_sc u1, const p256_sc u2, const p256_fe qx,
                            const p256_fe qy, const p256_sc r)
{
    int8_t n1[257], n2[257];
    jac qtab[Q_COUNT]; /* (2i+1) Q */
    jac acc, q2;
    p256_fe negy;

    wnaf(n1, u1, WIN_G);
    wnaf(n2, u2, WIN_Q);

    qtab[0].inf = 0;
    memcpy(qtab[0].x, qx, sizeof(p256_fe));
    memcpy(qtab[0].y, qy, sizeof(p256_fe));
    memset(qtab[0].z, 0, sizeof(p256_fe));
    qtab[0].z[0] = 1;
    jac_double(&q2, &qtab[0]);
    for (int i = 1; i < Q_COUNT; i++) {
        jac_add(&qtab[i], &q2, qtab[i - 1].x, qtab[i - 1].y, qtab[i - 1].z);
    }

    int top = 256;
    while (top >= 0 && n1[top] == 0 && n2[top] == 0) {
        top--;
    }
    acc.inf = 1;
    for (int i = top; i >= 0; i--) {
        jac_double(&acc, &acc);
        int d = n1[i];
        if (d != 0) {
            const p256_affine *g = &p256_g_odd[(d < 0 ? -d : d) / 2];
            if (d < 0) {
                p256_fe_sub(negy, (const uint32_t[8]){0}, g->y);
                jac_add(&acc, &acc, g->x, negy, NULL);
            } else {
                jac_add(&acc, &acc, g->x, g->y, NULL);
            }
        }
        d = n2[i];
        if (d != 0) {
            const jac *q = &qtab[(d < 0 ? -d : d) / 2];
            /* A table entry is never infinity: Q has prime order n > 31. */
            if (d < 0) {
                p256_fe_sub(negy, (const uint32_t[8]){0}, q->y);
                jac_add(&acc, &acc, q->x, negy, q->z);
            } else {
                jac_add(&acc, &acc, q->x, q->y, q->z);
            }
        }
    }
    if (acc.inf) {
        return 0;
    }

    /* x(R) = X / Z^2 as an integer in [0, p); the signature holds x(R) mod n.
     * Since p < 2n, x(R) mod n == r means x(R) == r or x(R) == r + n. */
    p256_fe zz, t;
    p256_fe_sqr(zz, acc.z);
    p256_fe_mul(t, zz, r); /* r < n < p is a valid field element */
    if (p256_fe_equal(t, acc.x)) {
        return 1;
    }
    p256_fe rn;
    uint32_t carry = bn_add(rn, r, p256_n, 8);
    if (carry == 0 && bn_lt(rn, p256_p, 8)) {
        p256_fe_mul(t, zz, rn);
        if (p256_fe_equal(t, acc.x)) {
            return 1;
        }
    }
    return 0;
}
