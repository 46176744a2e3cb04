#include "p256.h"

#include <string.h>

#include "apogee/err.h"
#include "ct.h"

const p256_fe p256_b = {
    0x27D2604Bu, 0x3BCE3C3Eu, 0xCC53B0F6u, 0x651D06B0u,
    0x769886BCu, 0xB3EBBD55u, 0xAA3A93E7u, 0x5AC635D8u,
};
const p256_fe p256_gx = {
    0xD898C296u, 0xF4A13945u, 0x2DEB33A0u, 0x77037D81u,
    0x63A440F2u, 0xF8BCE6E5u, 0xE12C4247u, 0x6B17D1F2u,
};
const p256_fe p256_gy = {
    0x37BF51F5u, 0xCBB64068u, 0x6B315ECEu, 0x2BCE3357u,
    0x7C0F9E16u, 0x8EE7EB4Au, 0xFE1A7F9Bu, 0x4FE342E2u,
};

uint32_t p256_on_curve(const p256_fe x, const p256_fe y)
{
    p256_fe lhs, rhs, t;
    p256_fe_sqr(lhs, y);
    p256_fe_sqr(rhs, x);
    p256_fe_mul(rhs, rhs, x);  /* x^3 */
    p256_fe_add(t, x, x);
    p256_fe_add(t, t, x);      /* 3x */
    p256_fe_sub(rhs, rhs, t);
    p256_fe_add(rhs, rhs, p256_b);
    return p256_fe_equal(lhs, rhs);
}

int p256_point_decode(p256_fe x, p256_fe y, const uint8_t in[P256_POINT_LEN])
{
    if (in[0] != 0x04) {
        return APG_EBADMSG;
    }
    int ok = p256_fe_from_bytes(x, in + 1);
    ok &= p256_fe_from_bytes(y, in + 33);
    if (!ok || !p256_on_curve(x, y)) {
        return APG_EBADMSG;
    }
    return APG_OK;
}

void p256_point_encode(uint8_t out[P256_POINT_LEN], const p256_fe x, const p256_fe y)
{
    out[0] = 0x04;
    p256_fe_to_bytes(out + 1, x);
    p256_fe_to_bytes(out + 33, y);
}

/* r = p + q, complete (RCB algorithm 4 for a = -3; 12M + 2 mul by b). The
 * steps keep the paper's numbering of temporaries; r may alias p or q. */
static void point_add(p256_point *r, const p256_point *p, const p256_point *q)
{
    p256_fe t0, t1, t2, t3, t4, x3, y3, z3;
    p256_fe_mul(t0, p->x, q->x);
    p256_fe_mul(t1, p->y, q->y);
    p256_fe_mul(t2, p->z, q->z);
    p256_fe_add(t3, p->x, p->y);
    p256_fe_add(t4, q->x, q->y);
    p256_fe_mul(t3, t3, t4);
    p256_fe_add(t4, t0, t1);
    p256_fe_sub(t3, t3, t4);
    p256_fe_add(t4, p->y, p->z);
    p256_fe_add(x3, q->y, q->z);
    p256_fe_mul(t4, t4, x3);
    p256_fe_add(x3, t1, t2);
    p256_fe_sub(t4, t4, x3);
    p256_fe_add(x3, p->x, p->z);
    p256_fe_add(y3, q->x, q->z);
    p256_fe_mul(x3, x3, y3);
    p256_fe_add(y3, t0, t2);
    p256_fe_sub(y3, x3, y3);
    p256_fe_mul(z3, p256_b, t2);
    p256_fe_sub(x3, y3, z3);
    p256_fe_add(z3, x3, x3);
    p256_fe_add(x3, x3, z3);
    p256_fe_sub(z3, t1, x3);
    p256_fe_add(x3, t1, x3);
    p256_fe_mul(y3, p256_b, y3);
    p256_fe_add(t1, t2, t2);
    p256_fe_add(t2, t1, t2);
    p256_fe_sub(y3, y3, t2);
    p256_fe_sub(y3, y3, t0);
    p256_fe_add(t1, y3, y3);
    p256_fe_add(y3, t1, y3);
    p256_fe_add(t1, t0, t0);
    p256_fe_add(t0, t1, t0);
    p256_fe_sub(t0, t0, t2);
    p256_fe_mul(t1, t4, y3);
    p256_fe_mul(t2, t0, y3);
    p256_fe_mul(y3, x3, z3);
    p256_fe_add(y3, y3, t2);
    p256_fe_mul(x3, t3, x3);
    p256_fe_sub(x3, x3, t1);
    p256_fe_mul(z3, t4, z3);
    p256_fe_mul(t1, t3, t0);
    p256_fe_add(z3, z3, t1);
    memcpy(r->x, x3, sizeof(x3));
    memcpy(r->y, y3, sizeof(y3));
    memcpy(r->z, z3, sizeof(z3));
}

/* r = 2p, complete (RCB algorithm 6 for a = -3; 8M + 3S + 2 mul by b). */
static void point_double(p256_point *r, const p256_point *p)
{
    p256_fe t0, t1, t2, t3, x3, y3, z3;
    p256_fe_sqr(t0, p->x);
    p256_fe_sqr(t1, p->y);
    p256_fe_sqr(t2, p->z);
    p256_fe_mul(t3, p->x, p->y);
    p256_fe_add(t3, t3, t3);
    p256_fe_mul(z3, p->x, p->z);
    p256_fe_add(z3, z3, z3);
    p256_fe_mul(y3, p256_b, t2);
    p256_fe_sub(y3, y3, z3);
    p256_fe_add(x3, y3, y3);
    p256_fe_add(y3, x3, y3);
    p256_fe_sub(x3, t1, y3);
    p256_fe_add(y3, t1, y3);
    p256_fe_mul(y3, x3, y3);
    p256_fe_mul(x3, x3, t3);
    p256_fe_add(t3, t2, t2);
    p256_fe_add(t2, t2, t3);
    p256_fe_mul(z3, p256_b, z3);
    p256_fe_sub(z3, z3, t2);
    p256_fe_sub(z3, z3, t0);
    p256_fe_add(t3, z3, z3);
    p256_fe_add(z3, z3, t3);
    p256_fe_add(t3, t0, t0);
    p256_fe_add(t0, t3, t0);
    p256_fe_sub(t0, t0, t2);
    p256_fe_mul(t0, t0, z3);
    p256_fe_add(y3, y3, t0);
    p256_fe_mul(t0, p->y, p->z);
    p256_fe_add(t0, t0, t0);
    p256_fe_mul(z3, t0, z3);
    p256_fe_sub(x3, x3, z3);
    p256_fe_mul(z3, t0, t1);
    p256_fe_add(z3, z3, z3);
    p256_fe_add(z3, z3, z3);
    memcpy(r->x, x3, sizeof(x3));
    memcpy(r->y, y3, sizeof(y3));
    memcpy(r->z, z3, sizeof(z3));
}

static void point_set_infinity(p256_point *r)
{
    memset(r, 0, sizeof(*r));
    r->y[0] = 1;
}

/* r = table[idx] reading all 16 entries. */
static void table_select(p256_point *r, const p256_point table[16], uint32_t idx)
{
    memset(r, 0, sizeof(*r));
    for (uint32_t i = 0; i < 16; i++) {
        uint32_t hit = (uint32_t)(((uint64_t)(i ^ idx) - 1u) >> 63);
        p256_fe_cmov(r->x, table[i].x, hit);
        p256_fe_cmov(r->y, table[i].y, hit);
        p256_fe_cmov(r->z, table[i].z, hit);
    }
}

void p256_mul_ct(p256_point *r, const p256_sc k, const p256_fe px, const p256_fe py)
{
    p256_point table[16]; /* i * P for i = 0..15 */
    p256_point acc, sel;
    point_set_infinity(&table[0]);
    memcpy(table[1].x, px, sizeof(p256_fe));
    memcpy(table[1].y, py, sizeof(p256_fe));
    memset(table[1].z, 0, sizeof(p256_fe));
    table[1].z[0] = 1;
    for (int i = 2; i < 16; i++) {
        if (i % 2 == 0) {
            point_double(&table[i], &table[i / 2]);
        } else {
            point_add(&table[i], &table[i - 1], &table[1]);
        }
    }
    point_set_infinity(&acc);
    for (int i = 63; i >= 0; i--) {
        point_double(&acc, &acc);
        point_double(&acc, &acc);
        point_double(&acc, &acc);
        point_double(&acc, &acc);
        uint32_t nib = (k[i / 8] >> (4 * (i % 8))) & 15u;
        table_select(&sel, table, nib);
        point_add(&acc, &acc, &sel);
    }
    *r = acc;
}

void p256_mul_base_ct(p256_point *r, const p256_sc k)
{
    p256_point acc, sel;
    point_set_infinity(&acc);
    for (int j = P256_COMB_SPACING - 1; j >= 0; j--) {
        /* Bit j of each 64-bit quarter of k makes the table index. */
        uint32_t idx = 0;
        for (int t = 0; t < P256_COMB_TEETH; t++) {
            int bit = j + P256_COMB_SPACING * t;
            idx |= ((k[bit / 32] >> (bit % 32)) & 1u) << t;
        }
        memset(&sel, 0, sizeof(sel));
        for (uint32_t i = 0; i < (1u << P256_COMB_TEETH); i++) {
            uint32_t hit = (uint32_t)(((uint64_t)(i ^ idx) - 1u) >> 63);
            p256_fe_cmov(sel.x, p256_g_comb[i].x, hit);
            p256_fe_cmov(sel.y, p256_g_comb[i].y, hit);
        }
        /* Z = 1 for a real entry, 0 for entry 0: (0, 1, 0) is infinity. */
        sel.z[0] = (uint32_t)(((uint64_t)idx + 0xFFFFFFFFu) >> 32);
        if (j != P256_COMB_SPACING - 1) {
            point_double(&acc, &acc);
        }
        point_add(&acc, &acc, &sel);
    }
    *r = acc;
    crypto_wipe(&acc, sizeof(acc));
    crypto_wipe(&sel, sizeof(sel));
}

uint32_t p256_to_affine(p256_fe x, p256_fe y, const p256_point *p)
{
    p256_fe zi;
    p256_fe_inv(zi, p->z);
    p256_fe_mul(x, p->x, zi);
    p256_fe_mul(y, p->y, zi);
    return ~p256_fe_is_zero(p->z);
}
