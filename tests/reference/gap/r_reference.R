# Reference values for the gap-analysis tests (tests/analysis/), computed with R.
# Rerun: Rscript tests/reference/gap/r_reference.R > tests/analysis/reference/r_reference.inc
# Each line of the output is {call, value}: the test looks the value up by the exact call text,
# so the call that produced a number stands beside it in the test source.
# Needs: R (stats), epitools (Debian: r-cran-epitools).
suppressPackageStartupMessages(library(epitools))
options(scipen = 100)  # integers in calls as 400000, never 4e+05

calls <- character(0)
emit <- function(call) calls <<- c(calls, call)

# R's fisher.test 2x2 code (R 4.2.2, src/library/stats/R/fisher.test.R) with uniroot's tolerance
# tightened from .Machine$double.eps^0.25 to 1e-15, so the conditional MLE and its interval are
# accurate to full precision (R's own are accurate to about 1e-4).
fisher_tight <- function(x, conf.level = 0.95) {
  tol <- 1e-15
  m <- sum(x[, 1L]); n <- sum(x[, 2L]); k <- sum(x[1L, ]); x <- x[1L, 1L]
  lo <- max(0L, k - n); hi <- min(k, m)
  support <- lo:hi
  logdc <- dhyper(support, m, n, k, log = TRUE)
  dnhyper <- function(ncp) { d <- logdc + log(ncp) * support; d <- exp(d - max(d)); d / sum(d) }
  mnhyper <- function(ncp) { if (ncp == 0) return(lo); if (ncp == Inf) return(hi); sum(support * dnhyper(ncp)) }
  pnhyper <- function(q, ncp, upper.tail = FALSE) {
    if (ncp == 1) return(if (upper.tail) phyper(x - 1, m, n, k, lower.tail = FALSE) else phyper(x, m, n, k))
    if (ncp == 0) return(as.numeric(if (upper.tail) q <= lo else q >= lo))
    if (ncp == Inf) return(as.numeric(if (upper.tail) q <= hi else q >= hi))
    sum(dnhyper(ncp)[if (upper.tail) support >= q else support <= q])
  }
  mle <- function(x) {
    if (x == lo) return(0); if (x == hi) return(Inf)
    mu <- mnhyper(1)
    if (mu > x) uniroot(function(t) mnhyper(t) - x, c(0, 1), tol = tol)$root
    else if (mu < x) 1 / uniroot(function(t) mnhyper(1 / t) - x, c(.Machine$double.eps, 1), tol = tol)$root
    else 1
  }
  ncp.U <- function(x, alpha) {
    if (x == hi) return(Inf)
    p <- pnhyper(x, 1)
    if (p < alpha) uniroot(function(t) pnhyper(x, t) - alpha, c(0, 1), tol = tol)$root
    else if (p > alpha) 1 / uniroot(function(t) pnhyper(x, 1 / t) - alpha, c(.Machine$double.eps, 1), tol = tol)$root
    else 1
  }
  ncp.L <- function(x, alpha) {
    if (x == lo) return(0)
    p <- pnhyper(x, 1, upper.tail = TRUE)
    if (p > alpha) uniroot(function(t) pnhyper(x, t, upper.tail = TRUE) - alpha, c(0, 1), tol = tol)$root
    else if (p < alpha) 1 / uniroot(function(t) pnhyper(x, 1 / t, upper.tail = TRUE) - alpha, c(.Machine$double.eps, 1), tol = tol)$root
    else 1
  }
  alpha <- (1 - conf.level) / 2
  c(estimate = mle(x), lower = ncp.L(x, alpha), upper = ncp.U(x, alpha))
}

# --- one proportion: Wilson (prop.test without correction) and Clopper-Pearson (binom.test)
for (xn in list(c(0, 10), c(10, 10), c(15, 40), c(1, 1), c(3, 1000), c(999, 1000), c(123456, 1000000), c(7, 9))) {
  for (side in 1:2) {
    emit(sprintf("prop.test(%d, %d, correct = FALSE)$conf.int[%d]", xn[1], xn[2], side))
    emit(sprintf("binom.test(%d, %d)$conf.int[%d]", xn[1], xn[2], side))
  }
}
for (side in 1:2) {
  emit(sprintf("prop.test(15, 40, correct = FALSE, conf.level = 0.9)$conf.int[%d]", side))
  emit(sprintf("binom.test(15, 40, conf.level = 0.99)$conf.int[%d]", side))
}

# --- binomial test
for (a in list(c(7, 20, "0.3"), c(2, 50, "0.2"), c(45, 50, "0.6"), c(0, 10, "0.5"), c(10, 10, "0.5"),
               c(3, 7, "0.5"), c(5000, 10000, "0.52"), c(400000, 1000000, "0.4003"), c(11, 30, "0.4"),
               c(1, 1000, "0.0004"), c(12, 30, "0.4"), c(3, 3, "0.999"))) {
  emit(sprintf("binom.test(%s, %s, %s)$p.value", a[1], a[2], a[3]))
}

# --- two proportions: prop.test with and without continuity correction
for (a in list(c(15, 40, 25, 45), c(0, 10, 5, 12), c(100, 1000, 130, 1000), c(3, 5, 2, 6), c(1, 2, 1, 2),
               c(10, 10, 7, 12))) {
  for (corr in c("FALSE", "TRUE")) {
    emit(sprintf("prop.test(c(%d, %d), c(%d, %d), correct = %s)$statistic", a[1], a[3], a[2], a[4], corr))
    emit(sprintf("prop.test(c(%d, %d), c(%d, %d), correct = %s)$p.value", a[1], a[3], a[2], a[4], corr))
  }
}

# --- risk ratio and odds ratio (epitools; rows: men (reference) then women, columns: failure, success)
for (a in list(c(15, 40, 25, 45), c(100, 1000, 130, 1000), c(56, 70, 48, 80))) {
  tab <- sprintf("matrix(c(%d, %d, %d, %d), 2)", a[4] - a[3], a[2] - a[1], a[3], a[1])
  for (i in 1:3) {
    emit(sprintf("riskratio.wald(%s)$measure[2, %d]", tab, i))
    emit(sprintf("oddsratio.wald(%s)$measure[2, %d]", tab, i))
  }
}
# zero cells: the Haldane-Anscombe table (0.5 added to every cell)
for (a in list(c(0, 10, 5, 12), c(10, 10, 7, 12), c(0, 8, 0, 9))) {
  tab <- sprintf("matrix(c(%d, %d, %d, %d), 2) + 0.5", a[4] - a[3], a[2] - a[1], a[3], a[1])
  for (i in 1:3) {
    emit(sprintf("riskratio.wald(%s)$measure[2, %d]", tab, i))
    emit(sprintf("oddsratio.wald(%s)$measure[2, %d]", tab, i))
  }
}

# --- Fisher 2x2: p from fisher.test, estimate and interval from fisher_tight (and R's own, 1e-4)
for (t in list(c(3, 1, 1, 3), c(10, 2, 3, 15), c(0, 5, 5, 0), c(7, 0, 3, 9), c(1, 40, 12, 30), c(2, 3000, 9, 2900),
               c(20, 25, 15, 30))) {
  mat <- sprintf("matrix(c(%d, %d, %d, %d), 2)", t[1], t[3], t[2], t[4])
  emit(sprintf("fisher.test(%s)$p.value", mat))
  for (i in 1:3) emit(sprintf("fisher_tight(%s)[%d]", mat, i))
  emit(sprintf("fisher.test(%s)$estimate", mat))
  emit(sprintf("fisher.test(%s)$conf.int[1]", mat))
  emit(sprintf("fisher.test(%s)$conf.int[2]", mat))
}
emit("fisher_tight(matrix(c(10, 3, 2, 15), 2), conf.level = 0.9)[2]")
emit("fisher_tight(matrix(c(10, 3, 2, 15), 2), conf.level = 0.9)[3]")

# --- r x c: chisq.test and fisher.test
rc <- list(
  "matrix(c(3, 1, 4, 2, 0, 5, 1, 3, 2), 3)",
  "matrix(c(12, 5, 7, 9, 3, 1, 8, 10), 4)",
  "matrix(c(2, 0, 1, 6, 3, 4, 0, 2, 5, 1, 2, 3), 4)",
  "matrix(c(8, 2, 4, 3, 7, 1, 0, 6, 2, 5), 5)",
  "matrix(c(20, 14, 9, 6, 4, 11, 17, 12, 8, 3), 5)",
  "matrix(c(0, 0, 3, 2, 0, 4), 3)",
  "matrix(c(1, 2, 0, 3, 1, 0, 2, 2, 1, 1, 3, 0, 0, 1, 2, 2), 4)")
for (m in rc) {
  emit(sprintf("fisher.test(%s)$p.value", m))
  emit(sprintf("suppressWarnings(chisq.test(%s, correct = FALSE))$statistic", m))
  emit(sprintf("suppressWarnings(chisq.test(%s, correct = FALSE))$p.value", m))
  x <- eval(parse(text = m))
  if (all(rowSums(x) > 0) && all(colSums(x) > 0)) {
    for (i in seq_len(nrow(x))) for (j in seq_len(ncol(x)))
      emit(sprintf("suppressWarnings(chisq.test(%s))$stdres[%d, %d]", m, i, j))
  }
}
emit("chisq.test(matrix(c(120, 80, 95, 105), 2), correct = FALSE)$statistic")
emit("chisq.test(matrix(c(120, 80, 95, 105), 2), correct = FALSE)$p.value")
emit("fisher.test(matrix(c(25, 31, 18, 27, 40, 22, 35, 19, 30, 26), 5))$p.value")
emit("fisher.test(matrix(c(25, 31, 18, 27, 40, 22, 35, 19, 30, 26), 5), simulate.p.value = TRUE, B = 1e6)$p.value")

# randomized r x c tables (seed 2026): fisher.test (exact) and chisq.test
set.seed(2026)
random_rc <- character(0)
for (r in 1:6) {
  nr <- sample(3:5, 1); nc <- sample(2:3, 1)
  v <- rpois(nr * nc, runif(1, 2, 12))
  random_rc <- c(random_rc, sprintf("matrix(c(%s), %d)", paste(v, collapse = ", "), nr))
}
for (m in random_rc) {
  emit(sprintf("fisher.test(%s)$p.value", m))
  emit(sprintf("suppressWarnings(chisq.test(%s, correct = FALSE))$statistic", m))
}

# --- Mantel-Haenszel and CMH: UCBAdmissions. aperm puts Gender first, Admit second: group 1 = Male.
# The tests use Female as group 1: rows reversed by [2:1, , ].
ucb <- "aperm(UCBAdmissions, c(2, 1, 3))[2:1, , ]"
for (corr in c("FALSE", "TRUE")) {
  emit(sprintf("mantelhaen.test(%s, correct = %s)$statistic", ucb, corr))
  emit(sprintf("mantelhaen.test(%s, correct = %s)$p.value", ucb, corr))
}
emit(sprintf("mantelhaen.test(%s)$estimate", ucb))
emit(sprintf("mantelhaen.test(%s)$conf.int[1]", ucb))
emit(sprintf("mantelhaen.test(%s)$conf.int[2]", ucb))
emit("prop.test(c(557, 1198), c(1835, 2691), correct = FALSE)$p.value")
# randomized strata tables (seed 11), written out below; mantelhaen.test on each
set.seed(11)
random_strata <- list()
for (r in 1:6) {
  K <- sample(2:6, 1)
  arr <- array(0, c(2, 2, K))
  for (k in 1:K) {
    n1 <- sample(5:60, 1); n2 <- sample(5:60, 1)
    arr[1, 1, k] <- rbinom(1, n1, runif(1, 0.1, 0.8)); arr[1, 2, k] <- n1 - arr[1, 1, k]
    arr[2, 1, k] <- rbinom(1, n2, runif(1, 0.1, 0.8)); arr[2, 2, k] <- n2 - arr[2, 1, k]
  }
  random_strata[[r]] <- arr
}
strata_text <- sapply(random_strata, function(a) sprintf("array(c(%s), c(2, 2, %d))", paste(a, collapse = ", "), dim(a)[3]))
for (s in strata_text) {
  for (corr in c("FALSE", "TRUE")) emit(sprintf("mantelhaen.test(%s, correct = %s)$p.value", s, corr))
  emit(sprintf("mantelhaen.test(%s)$estimate", s))
  emit(sprintf("mantelhaen.test(%s)$conf.int[1]", s))
  emit(sprintf("mantelhaen.test(%s)$conf.int[2]", s))
}

# --- randomized 2x2 tables (seed 5218): fisher.test, prop.test, newcombe inputs
set.seed(5218)
random_2x2 <- character(0)
for (r in 1:8) {
  v <- c(rbinom(1, 30, 0.3), rbinom(1, 30, 0.5), rbinom(1, 30, 0.4), rbinom(1, 30, 0.6))
  random_2x2 <- c(random_2x2, sprintf("matrix(c(%s), 2)", paste(v, collapse = ", ")))
}
for (m in random_2x2) {
  emit(sprintf("fisher.test(%s)$p.value", m))
  for (i in 1:3) emit(sprintf("fisher_tight(%s)[%d]", m, i))
  emit(sprintf("suppressWarnings(chisq.test(%s, correct = FALSE))$p.value", m))
}

# --- Welch's t-test: data drawn here (seed 42); the tests use their moments, written out below
set.seed(42)
welch_data <- list(
  list(x = rnorm(12, 10, 2), y = rnorm(15, 11, 3.5)),
  list(x = rexp(40, 1 / 30), y = rexp(25, 1 / 45)),
  list(x = round(runif(7, 0, 100)), y = round(runif(2, 0, 100))),
  list(x = rnorm(500, 1e6, 5), y = rnorm(800, 1e6 + 1, 7)))
moments <- character(0)
for (i in seq_along(welch_data)) {
  d <- welch_data[[i]]
  call <- sprintf("t.test(welch_data[[%d]]$x, welch_data[[%d]]$y)", i, i)
  emit(sprintf("%s$statistic", call)); emit(sprintf("%s$parameter", call)); emit(sprintf("%s$p.value", call))
  emit(sprintf("%s$conf.int[1]", call)); emit(sprintf("%s$conf.int[2]", call))
  emit(sprintf("t.test(welch_data[[%d]]$x)$conf.int[1]", i)); emit(sprintf("t.test(welch_data[[%d]]$x)$conf.int[2]", i))
  for (g in c("x", "y")) {
    emit(sprintf("length(welch_data[[%d]]$%s)", i, g))
    emit(sprintf("mean(welch_data[[%d]]$%s)", i, g))
    emit(sprintf("var(welch_data[[%d]]$%s)", i, g))
  }
}
emit("t.test(welch_data[[1]]$x, conf.level = 0.9)$conf.int[1]")

# --- multiple testing
pv <- "c(0.01, 0.04, 0.03, 0.005, 0.5, NA, 0.04, 0.2, 1, 0.0001)"
for (i in 1:10) {
  emit(sprintf("p.adjust(%s, 'BH')[%d]", pv, i))
  emit(sprintf("p.adjust(%s, 'holm')[%d]", pv, i))
}
set.seed(7)
pr <- runif(25)^3
pr_text <- sprintf("c(%s)", paste(sprintf("%.17g", pr), collapse = ", "))
for (i in 1:25) {
  emit(sprintf("p.adjust(%s, 'BH')[%d]", pr_text, i))
  emit(sprintf("p.adjust(%s, 'holm')[%d]", pr_text, i))
}

# --- direct standardization (epitools)
ds <- list(c("c(5, 12, 30, 8)", "c(1000, 2400, 3000, 500)", "c(2000, 3000, 2500, 1500)"),
           c("c(0, 0, 0)", "c(100, 200, 300)", "c(1, 1, 1)"),
           c("c(250, 420)", "c(900, 1100)", "c(1000, 1000)"))
for (d in ds) {
  call <- sprintf("ageadjust.direct(count = %s, pop = %s, stdpop = %s)", d[1], d[2], d[3])
  for (i in 1:4) emit(sprintf("%s[%d]", call, i))
}
emit("ageadjust.direct(count = c(5, 12, 30, 8), pop = c(1000, 2400, 3000, 500), stdpop = c(2000, 3000, 2500, 1500), conf.level = 0.9)[3]")

# --- the gap report (tests/analysis/gap_report_test.cpp)
# UCBAdmissions applicants by department (rows A-F) for women and men
ucb_app <- "matrix(c(108, 25, 593, 375, 393, 341, 825, 560, 325, 417, 191, 373), 6)"
emit(sprintf("chisq.test(%s, correct = FALSE)$statistic", ucb_app))
emit(sprintf("chisq.test(%s, correct = FALSE)$p.value", ucb_app))
for (i in 1:6) emit(sprintf("chisq.test(%s)$stdres[%d, 1]", ucb_app, i))
for (i in 1:4) {
  emit(sprintf("ageadjust.direct(count = c(89, 17, 202, 131, 94, 24), pop = c(108, 25, 593, 375, 393, 341), stdpop = c(933, 585, 918, 792, 584, 714))[%d]", i))
  emit(sprintf("ageadjust.direct(count = c(512, 353, 120, 138, 53, 22), pop = c(825, 560, 325, 417, 191, 373), stdpop = c(933, 585, 918, 792, 584, 714))[%d]", i))
}
emit("binom.test(180, 350, 800/1550)$p.value")
emit("prop.test(c(180, 170), c(800, 750), correct = FALSE)$p.value")
emit("prop.test(c(120, 80), c(500, 400), correct = FALSE)$p.value")

# --- output
value_text <- function(v) {
  if (is.na(v)) return("kNaN")
  if (is.infinite(v)) return(if (v > 0) "kInf" else "-kInf")
  sprintf("%.17g", v)
}
cat("// Generated by tests/reference/gap/r_reference.R (", R.version.string, ", epitools ",
    as.character(packageVersion("epitools")), "). Do not edit.\n", sep = "")
for (call in calls) {
  v <- unname(eval(parse(text = call)))
  cat(sprintf("{R\"ref(%s)ref\", %s},\n", call, value_text(as.numeric(v)[1])))
}
# the randomized inputs, for the tests to feed to the C++ functions
cat("// random_strata (seed 11)\n")
for (s in strata_text) cat(sprintf("{R\"ref(random_strata: %s)ref\", 0},\n", s))
cat("// random_rc (seed 2026)\n")
for (m in random_rc) cat(sprintf("{R\"ref(random_rc: %s)ref\", 0},\n", m))
cat("// random_2x2 (seed 5218)\n")
for (m in random_2x2) cat(sprintf("{R\"ref(random_2x2: %s)ref\", 0},\n", m))
