/*
 * TA-Lib C (and Tulip Indicators C) timing harness for bench/indicators/run.ts.
 *
 * Measures the C functions themselves, without any JS<->C marshalling: reads the bars from a
 * binary file (int64 n, then open, high, low, close, volume as n little-endian doubles each),
 * runs every function once to warm caches, then K timed times over the whole column, and prints
 * one JSON object: per function the median and minimum ns/bar and the last output value(s), so
 * the runner can check that TA-Lib, Tulip and our code computed the same thing. Candlestick
 * patterns (int outputs: ±100, ±80, 0) also report `hits`, the number of bars with a pattern.
 *
 * Usage: talib-harness <bars.bin> <K> <cpu|wall> [filter-substring]
 * `cpu` times with CLOCK_PROCESS_CPUTIME_ID, so time spent descheduled on a shared machine does
 * not count; `wall` with CLOCK_MONOTONIC. The JS runner uses the matching clock.
 * Built by bench/indicators/c-harness.ts with -O2 against the static libraries that the talib
 * npm package builds in node_modules/talib/src/lib/lib/, and Tulip's amalgamation shipped in
 * node_modules/tulind/external/.
 */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <stdint.h>
#include "ta_libc.h"
#include "indicators.h"

static int n;
static double *O, *H, *L, *C, *V;
static double *out[3];
static int *outi; /* the candlestick patterns' outInteger */
static int beg, nb;

typedef void (*bench_fn)(void);

/* TA-Lib outputs are packed from index 0; nb is the count of valid values. */
static void t_sma(void) { TA_SMA(0, n - 1, C, 20, &beg, &nb, out[0]); }
static void t_ema(void) { TA_EMA(0, n - 1, C, 20, &beg, &nb, out[0]); }
static void t_wma(void) { TA_WMA(0, n - 1, C, 20, &beg, &nb, out[0]); }
static void t_dema(void) { TA_DEMA(0, n - 1, C, 20, &beg, &nb, out[0]); }
static void t_tema(void) { TA_TEMA(0, n - 1, C, 20, &beg, &nb, out[0]); }
static void t_kama(void) { TA_KAMA(0, n - 1, C, 10, &beg, &nb, out[0]); }
static void t_rsi(void) { TA_RSI(0, n - 1, C, 14, &beg, &nb, out[0]); }
static void t_stochrsi(void) { TA_STOCHRSI(0, n - 1, C, 14, 14, 3, TA_MAType_SMA, &beg, &nb, out[0], out[1]); }
static void t_macd(void) { TA_MACD(0, n - 1, C, 12, 26, 9, &beg, &nb, out[0], out[1], out[2]); }
static void t_bbands(void) { TA_BBANDS(0, n - 1, C, 20, 2.0, 2.0, TA_MAType_SMA, &beg, &nb, out[0], out[1], out[2]); }
static void t_atr(void) { TA_ATR(0, n - 1, H, L, C, 14, &beg, &nb, out[0]); }
static void t_natr(void) { TA_NATR(0, n - 1, H, L, C, 14, &beg, &nb, out[0]); }
static void t_stoch(void) { TA_STOCH(0, n - 1, H, L, C, 14, 3, TA_MAType_SMA, 3, TA_MAType_SMA, &beg, &nb, out[0], out[1]); }
static void t_willr(void) { TA_WILLR(0, n - 1, H, L, C, 14, &beg, &nb, out[0]); }
static void t_cci(void) { TA_CCI(0, n - 1, H, L, C, 20, &beg, &nb, out[0]); }
static void t_roc(void) { TA_ROC(0, n - 1, C, 10, &beg, &nb, out[0]); }
static void t_mfi(void) { TA_MFI(0, n - 1, H, L, C, V, 14, &beg, &nb, out[0]); }
static void t_obv(void) { TA_OBV(0, n - 1, C, V, &beg, &nb, out[0]); }
static void t_adx(void) { TA_ADX(0, n - 1, H, L, C, 14, &beg, &nb, out[0]); }
static void t_sar(void) { TA_SAR(0, n - 1, H, L, 0.02, 0.2, &beg, &nb, out[0]); }
static void t_doji(void) { TA_CDLDOJI(0, n - 1, O, H, L, C, &beg, &nb, outi); }
static void t_hammer(void) { TA_CDLHAMMER(0, n - 1, O, H, L, C, &beg, &nb, outi); }
static void t_hangingman(void) { TA_CDLHANGINGMAN(0, n - 1, O, H, L, C, &beg, &nb, outi); }
static void t_shootingstar(void) { TA_CDLSHOOTINGSTAR(0, n - 1, O, H, L, C, &beg, &nb, outi); }
static void t_engulfing(void) { TA_CDLENGULFING(0, n - 1, O, H, L, C, &beg, &nb, outi); }
static void t_harami(void) { TA_CDLHARAMI(0, n - 1, O, H, L, C, &beg, &nb, outi); }
static void t_piercing(void) { TA_CDLPIERCING(0, n - 1, O, H, L, C, &beg, &nb, outi); }
static void t_darkcloud(void) { TA_CDLDARKCLOUDCOVER(0, n - 1, O, H, L, C, 0.5, &beg, &nb, outi); }
static void t_morningstar(void) { TA_CDLMORNINGSTAR(0, n - 1, O, H, L, C, 0.3, &beg, &nb, outi); }
static void t_eveningstar(void) { TA_CDLEVENINGSTAR(0, n - 1, O, H, L, C, 0.3, &beg, &nb, outi); }
static void t_3whitesoldiers(void) { TA_CDL3WHITESOLDIERS(0, n - 1, O, H, L, C, &beg, &nb, outi); }
static void t_3blackcrows(void) { TA_CDL3BLACKCROWS(0, n - 1, O, H, L, C, &beg, &nb, outi); }

/* `ints`: the function writes outi (one int series) instead of out[]. */
struct talib_case { const char *key; bench_fn fn; int outs; int ints; };
static const struct talib_case TALIB[] = {
  { "SMA(20)", t_sma, 1 }, { "EMA(20)", t_ema, 1 }, { "WMA(20)", t_wma, 1 },
  { "DEMA(20)", t_dema, 1 }, { "TEMA(20)", t_tema, 1 }, { "KAMA(10)", t_kama, 1 },
  { "RSI(14)", t_rsi, 1 }, { "STOCHRSI(14,14,3)", t_stochrsi, 2 }, { "MACD(12,26,9)", t_macd, 3 },
  { "BBANDS(20,2)", t_bbands, 3 }, { "ATR(14)", t_atr, 1 }, { "NATR(14)", t_natr, 1 },
  { "STOCH(14,3,3)", t_stoch, 2 }, { "WILLR(14)", t_willr, 1 }, { "CCI(20)", t_cci, 1 },
  { "ROC(10)", t_roc, 1 }, { "MFI(14)", t_mfi, 1 }, { "OBV", t_obv, 1 }, { "ADX(14)", t_adx, 1 },
  { "SAR(0.02,0.2)", t_sar, 1 },
  { "CDLDOJI", t_doji, 1, 1 }, { "CDLHAMMER", t_hammer, 1, 1 }, { "CDLHANGINGMAN", t_hangingman, 1, 1 },
  { "CDLSHOOTINGSTAR", t_shootingstar, 1, 1 }, { "CDLENGULFING", t_engulfing, 1, 1 },
  { "CDLHARAMI", t_harami, 1, 1 }, { "CDLPIERCING", t_piercing, 1, 1 },
  { "CDLDARKCLOUDCOVER(0.5)", t_darkcloud, 1, 1 }, { "CDLMORNINGSTAR(0.3)", t_morningstar, 1, 1 },
  { "CDLEVENINGSTAR(0.3)", t_eveningstar, 1, 1 }, { "CDL3WHITESOLDIERS", t_3whitesoldiers, 1, 1 },
  { "CDL3BLACKCROWS", t_3blackcrows, 1, 1 },
};

/* Tulip runs through its own descriptor table; options follow Tulip's order for each name. */
struct tulip_case { const char *key; const char *name; double opts[4]; };
static const struct tulip_case TULIP[] = {
  { "SMA(20)", "sma", { 20 } }, { "EMA(20)", "ema", { 20 } }, { "WMA(20)", "wma", { 20 } },
  { "DEMA(20)", "dema", { 20 } }, { "TEMA(20)", "tema", { 20 } }, { "KAMA(10)", "kama", { 10 } },
  { "RSI(14)", "rsi", { 14 } }, { "STOCHRSI(14,14,3)", "stochrsi", { 14 } },
  { "MACD(12,26,9)", "macd", { 12, 26, 9 } }, { "BBANDS(20,2)", "bbands", { 20, 2 } },
  { "ATR(14)", "atr", { 14 } }, { "NATR(14)", "natr", { 14 } }, { "STOCH(14,3,3)", "stoch", { 14, 3, 3 } },
  { "WILLR(14)", "willr", { 14 } }, { "CCI(20)", "cci", { 20 } }, { "ROC(10)", "roc", { 10 } },
  { "MFI(14)", "mfi", { 14 } }, { "OBV", "obv", { 0 } }, { "ADX(14)", "adx", { 14 } },
  { "SAR(0.02,0.2)", "psar", { 0.02, 0.2 } },
};

static const ti_indicator_info *tulip_info;
static const double *tulip_in[5];
static double *tulip_out[5];
static const double *tulip_opts;
static int tulip_nb;
static void tulip_run(void) {
  tulip_info->indicator(n, tulip_in, tulip_opts, tulip_out);
  tulip_nb = n - tulip_info->start(tulip_opts);
}

static clockid_t clock_id = CLOCK_PROCESS_CPUTIME_ID;
static double now_ns(void) {
  struct timespec ts;
  clock_gettime(clock_id, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static int cmp_double(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

static int first = 1;
/* `ints` non-NULL: the output is that one int series (a candlestick pattern), not `outs`. */
static void emit(const char *lib, const char *key, bench_fn fn, int k, double **outs, int outs_n,
                 const int *count, const int *ints) {
  double *t = malloc(sizeof(double) * (size_t)k);
  fn();
  for (int i = 0; i < k; i++) {
    double s = now_ns();
    fn();
    t[i] = (now_ns() - s) / n;
  }
  qsort(t, (size_t)k, sizeof(double), cmp_double);
  printf("%s\n  {\"lib\":\"%s\",\"key\":\"%s\",\"nsMedian\":%.4f,\"nsMin\":%.4f,\"last\":[", first ? "" : ",",
         lib, key, t[k / 2], t[0]);
  first = 0;
  if (ints) {
    int hits = 0;
    for (int i = 0; i < *count; i++) hits += ints[i] != 0;
    printf("%d],\"hits\":%d}", *count > 0 ? ints[*count - 1] : 0, hits);
  } else {
    for (int j = 0; j < outs_n; j++) printf("%s%.17g", j ? "," : "", *count > 0 ? outs[j][*count - 1] : 0.0);
    printf("]}");
  }
  free(t);
}

static double *read_column(FILE *f) {
  double *col = malloc(sizeof(double) * (size_t)n);
  if (!col || fread(col, sizeof(double), (size_t)n, f) != (size_t)n) {
    fprintf(stderr, "talib-harness: short read\n");
    exit(2);
  }
  return col;
}

int main(int argc, char **argv) {
  if (argc < 4) {
    fprintf(stderr, "usage: talib-harness <bars.bin> <K> <cpu|wall> [filter]\n");
    return 2;
  }
  int k = atoi(argv[2]);
  if (!strcmp(argv[3], "wall")) clock_id = CLOCK_MONOTONIC;
  const char *filter = argc > 4 ? argv[4] : NULL;
  FILE *f = fopen(argv[1], "rb");
  int64_t n64;
  if (!f || fread(&n64, sizeof n64, 1, f) != 1 || n64 < 1 || n64 > 100000000 || k < 1) {
    fprintf(stderr, "talib-harness: cannot read %s\n", argv[1]);
    return 2;
  }
  n = (int)n64;
  O = read_column(f); H = read_column(f); L = read_column(f); C = read_column(f); V = read_column(f);
  fclose(f);
  for (int j = 0; j < 3; j++) out[j] = calloc((size_t)n, sizeof(double));
  outi = calloc((size_t)n, sizeof(int));
  for (int j = 0; j < 5; j++) tulip_out[j] = calloc((size_t)n, sizeof(double));
  if (TA_Initialize() != TA_SUCCESS) return 3;

  printf("{\"n\":%d,\"k\":%d,\"talibVersion\":\"%s\",\"tulipVersion\":\"%s\",\"results\":[", n, k,
         TA_GetVersionString(), ti_version());
  for (size_t i = 0; i < sizeof TALIB / sizeof TALIB[0]; i++) {
    if (filter && !strstr(TALIB[i].key, filter)) continue;
    emit("talib-c", TALIB[i].key, TALIB[i].fn, k, out, TALIB[i].outs, &nb, TALIB[i].ints ? outi : NULL);
  }
  for (size_t i = 0; i < sizeof TULIP / sizeof TULIP[0]; i++) {
    if (filter && !strstr(TULIP[i].key, filter)) continue;
    tulip_info = ti_find_indicator(TULIP[i].name);
    if (!tulip_info) continue;
    for (int j = 0; j < tulip_info->inputs; j++) {
      const char *in = tulip_info->input_names[j];
      tulip_in[j] = !strcmp(in, "open") ? O : !strcmp(in, "high") ? H : !strcmp(in, "low") ? L
                  : !strcmp(in, "volume") ? V : C;
    }
    tulip_opts = TULIP[i].opts;
    emit("tulip-c", TULIP[i].key, tulip_run, k, tulip_out, tulip_info->outputs, &tulip_nb, NULL);
  }
  printf("\n]}\n");
  TA_Shutdown();
  return 0;
}
