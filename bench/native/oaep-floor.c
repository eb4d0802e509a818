/*
 * Reference for the seal bench: Bitnami's per-item RSA step (RSA-OAEP, SHA-256, label, 32-byte
 * session key) done in C against the system libcrypto, the two ways an OpenSSL caller can do it.
 * "new" makes an EVP_PKEY_CTX per item, as Node's crypto.publicEncrypt must; "reuse" keeps one
 * context, as `openssl speed` does. Prints items per second for each, measured for SECONDS each.
 * Usage: oaep-floor CERT.pem SECONDS
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

static EVP_PKEY_CTX *oaep_ctx(EVP_PKEY *pk) {
  EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pk, NULL);
  unsigned char *label = OPENSSL_memdup("namespace/name", 14);
  if (!c || EVP_PKEY_encrypt_init(c) <= 0 || EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_OAEP_PADDING) <= 0 ||
      EVP_PKEY_CTX_set_rsa_oaep_md(c, EVP_sha256()) <= 0 || EVP_PKEY_CTX_set_rsa_mgf1_md(c, EVP_sha256()) <= 0 ||
      EVP_PKEY_CTX_set0_rsa_oaep_label(c, label, 14) <= 0) {
    fprintf(stderr, "cannot set up RSA-OAEP\n");
    exit(1);
  }
  return c;
}

int main(int argc, char **argv) {
  if (argc != 3) return 2;
  FILE *f = fopen(argv[1], "r");
  X509 *x = f ? PEM_read_X509(f, NULL, NULL, NULL) : NULL;
  EVP_PKEY *pk = x ? X509_get_pubkey(x) : NULL;
  if (!pk) { fprintf(stderr, "cannot read %s\n", argv[1]); return 1; }
  double secs = atof(argv[2]);
  unsigned char key[32] = {7}, out[1024];
  size_t len;
  long n = 0;
  double start = now();
  while (now() - start < secs) {
    EVP_PKEY_CTX *c = oaep_ctx(pk);
    len = sizeof out;
    if (EVP_PKEY_encrypt(c, out, &len, key, sizeof key) <= 0) return 1;
    EVP_PKEY_CTX_free(c);
    n++;
  }
  printf("new %.1f\n", n / (now() - start));
  EVP_PKEY_CTX *c = oaep_ctx(pk);
  n = 0;
  start = now();
  while (now() - start < secs) {
    len = sizeof out;
    if (EVP_PKEY_encrypt(c, out, &len, key, sizeof key) <= 0) return 1;
    n++;
  }
  printf("reuse %.1f\n", n / (now() - start));
  return 0;
}
