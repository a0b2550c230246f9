# Reference values of the MAIHDA tests (tests/analysis/maihda_*_test.cpp), fitted with lme4 on the
# microdata of maihda_data.R:
#   Rscript tests/reference/intersectional/maihda_reference.R     (from the repository root)
# R 4.2.2, lme4 1.1.31. Prints the scalar values the tests record and writes the per-stratum
# values to tests/analysis/maihda_lme4_strata.hpp.
#
# Linear models: lmer with its default settings (REML, nloptwrap/bobyqa).
# Logistic models: glmer, once with its default settings and once "tight": PIRLS converged to
# tolPwrss = 1e-13 (the default 1e-7 leaves the conditional modes, and so the Laplace and AGQ
# criteria, off by up to ~4e-6), then the (theta, beta) optimum polished with nlminb on glmer's own
# deviance function; standard errors as lme4's vcov() computes them (lme4:::deriv12 Hessian of that
# function, 2 * solve(H)[beta, beta]); the conditional modes and condVar from the deviance
# function's environment after evaluating it at the polished optimum.
suppressMessages(library(lme4))
source("tests/reference/intersectional/maihda_data.R")
d <- maihda_microdata()
for (v in c("stratum", "sex", "age", "birth", "education")) d[[v]] <- factor(d[[v]])
f17 <- function(x) sprintf("%.17g", x)
show <- function(name, x) cat(sprintf("%-34s %s\n", name, paste(f17(x), collapse = ", ")))
null_f <- hours ~ 1 + (1 | stratum)
add_f <- hours ~ sex + age + birth + education + (1 | stratum)
strata_of <- function(m) as.integer(levels(d$stratum))

lin <- list()
for (reml in c(TRUE, FALSE)) {
  crit <- if (reml) "REML" else "ML"
  for (kind in c("null", "additive")) {
    m <- lmer(if (kind == "null") null_f else add_f, data = d, REML = reml)
    cat(sprintf("\n## lmer(%s, data = d, REML = %s)\n", deparse(formula(m)), reml))
    vc <- as.data.frame(VarCorr(m))
    show("theta", getME(m, "theta"))
    show("between variance", vc$vcov[1])
    show("residual variance", sigma(m)^2)
    show("vpc", vc$vcov[1] / (vc$vcov[1] + sigma(m)^2))
    show(if (reml) "REMLcrit" else "deviance", if (reml) REMLcrit(m) else deviance(m))
    show("fixef", fixef(m))
    show("se", sqrt(diag(as.matrix(vcov(m)))))
    lin[[paste(crit, kind)]] <- m
  }
  show(paste("pcv", crit), (as.data.frame(VarCorr(lin[[paste(crit, "null")]]))$vcov[1] -
                            as.data.frame(VarCorr(lin[[paste(crit, "additive")]]))$vcov[1]) /
                           as.data.frame(VarCorr(lin[[paste(crit, "null")]]))$vcov[1])
}

# Prediction error sd of the stratum means x_j'beta + u_j (REML fits) from Henderson's mixed model
# equations, built explicitly: C = sigma^2 [X'X X'Z; Z'X Z'Z + (sigma^2/sigma_u^2) I]^-1.
pev_sd <- function(m) {
  X <- getME(m, "X"); Z <- as.matrix(getME(m, "Z"))
  s2 <- sigma(m)^2; su2 <- as.data.frame(VarCorr(m))$vcov[1]
  C <- s2 * solve(rbind(cbind(crossprod(X), crossprod(X, Z)),
                        cbind(crossprod(Z, X), crossprod(Z) + diag(s2 / su2, ncol(Z)))))
  first <- match(levels(d$stratum), d$stratum)
  sapply(seq_along(first), function(j) {
    a <- c(X[first[j], ], as.numeric(seq_len(ncol(Z)) == j))
    sqrt(drop(t(a) %*% C %*% a))
  })
}
linear_strata <- function(m) {
  re <- ranef(m, condVar = TRUE)$stratum
  first <- match(levels(d$stratum), d$stratum)
  list(re = re[, 1], sd = sqrt(as.numeric(attr(re, "postVar"))), fitted = fitted(m)[first], pev = pev_sd(m))
}
ln <- linear_strata(lin[["REML null"]])
la <- linear_strata(lin[["REML additive"]])
flag <- which(abs(la$re) > qnorm(0.975) * la$sd) - 1
cat("\n## strata whose additive-model ranef +- qnorm(0.975) sqrt(condVar) excludes 0 (0-based):", flag, "\n")

# ---- logistic ----
tight_glmer <- function(formula, nAGQ) {
  g <- glmer(formula, data = d, family = binomial, nAGQ = nAGQ, control = glmerControl(tolPwrss = 1e-13))
  dd <- update(g, devFunOnly = TRUE)
  p0 <- unlist(getME(g, c("theta", "beta")))
  o <- nlminb(p0, dd, lower = c(0, rep(-Inf, length(p0) - 1)),
              control = list(rel.tol = 1e-15, x.tol = 1e-15, eval.max = 10000, iter.max = 10000))
  H <- lme4:::deriv12(dd, o$par)$Hessian
  V <- 2 * solve(H)[-1, -1, drop = FALSE]
  dev <- dd(o$par)  # leaves the conditional modes at the optimum in dd's environment
  pp <- environment(dd)$pp
  theta <- o$par[1]; beta <- o$par[-1]
  b <- pp$b(1)
  X <- getME(g, "X")
  first <- match(levels(d$stratum), d$stratum)
  eta <- drop(X %*% beta) + b[as.integer(d$stratum)]
  # lme4's condVar for one scalar random effect: theta^2 / L_j^2, L_j^2 = 1 + theta^2 sum_i mu_i (1 - mu_i)
  # over the stratum's rows at the conditional mode (the diagonal of the Cholesky factor pp$L()).
  mu <- plogis(eta)
  condvar <- theta^2 / (1 + theta^2 * tapply(mu * (1 - mu), d$stratum, sum))
  pv <- as.numeric(attr(ranef(g, condVar = TRUE)$stratum, "postVar"))
  cat(sprintf("(check: the default fit's postVar vs this formula at its own optimum differ by at most %.1e relative)\n",
              max(abs(pv / (getME(g, "theta")^2 / (1 + getME(g, "theta")^2 *
                  tapply(fitted(g) * (1 - fitted(g)), d$stratum, sum))) - 1))))
  list(default = g, theta = theta, beta = beta, se = sqrt(diag(V)), deviance = dev, b = b, sd = sqrt(condvar),
       fitted_rows = plogis(eta), fitted = plogis(eta[first]))
}
auc <- function(p) {
  w <- wilcox.test(p[d$in_work == 1], p[d$in_work == 0], exact = FALSE)$statistic
  unname(w) / (sum(d$in_work == 1) * sum(d$in_work == 0))
}
glog <- list()
for (q in c(1, 25)) {
  for (kind in c("null", "additive")) {
    fo <- if (kind == "null") in_work ~ 1 + (1 | stratum) else in_work ~ sex + age + birth + education + (1 | stratum)
    t <- tight_glmer(fo, q)
    g <- t$default
    cat(sprintf("\n## glmer(%s, data = d, family = binomial, nAGQ = %d)\n", deparse(fo), q))
    show("default theta", getME(g, "theta"))
    show("default fixef", fixef(g))
    show("default se", sqrt(diag(as.matrix(vcov(g)))))
    show("default -2*logLik", -2 * as.numeric(logLik(g)))
    show("tight theta", t$theta)
    show("tight fixef", t$beta)
    show("tight se", t$se)
    show("tight criterion", t$deviance)
    show("tight vpc", t$theta^2 / (t$theta^2 + pi^2 / 3))
    show("AUC (wilcox.test on fitted rows)", auc(t$fitted_rows))
    glog[[paste(q, kind)]] <- t
  }
  show(paste("pcv nAGQ", q), (glog[[paste(q, "null")]]$theta^2 - glog[[paste(q, "additive")]]$theta^2) /
                              glog[[paste(q, "null")]]$theta^2)
}
ga <- glog[["1 additive"]]
gflag <- which(abs(ga$b) > qnorm(0.975) * ga$sd) - 1
cat("\n## logistic (Laplace) strata whose additive ranef +- qnorm(0.975) sd excludes 0 (0-based):", gflag, "\n")

# lme4's Laplace criterion for the null model carries PIRLS noise (up to ~1.5e-6, varying with the
# parameters, even at tolPwrss = 1e-13) that moves its finite-difference Hessian, and so vcov(), by
# ~4e-4. An exact-mode evaluation of the same Laplace formula (the mode of each stratum by uniroot
# to 1e-15; -2 log L of the Bernoulli rows + u^2 + log L^2) agrees with glmer's criterion to 1e-14
# for the additive models, and gives the reference for the null model:
s_null <- aggregate(cbind(k = in_work, n = 1) ~ stratum, data = d, FUN = sum)
exact_laplace <- function(p) {
  theta <- p[1]; eta0 <- p[2]; tot <- 0
  for (j in seq_len(nrow(s_null))) {
    n <- s_null$n[j]; k <- s_null$k[j]
    u <- if (theta == 0) 0 else
      uniroot(function(u) u - theta * (k - n * plogis(eta0 + theta * u)), c(theta * (k - n) - 1, theta * k + 1),
              tol = 1e-15)$root
    eta <- eta0 + theta * u; mu <- plogis(eta)
    tot <- tot - 2 * (k * eta - n * log1p(exp(eta))) + u^2 + log(1 + theta^2 * n * mu * (1 - mu))
  }
  tot
}
# nlminb stalls on this flat criterion; nested Brent searches (optimize, tol 1e-12) do not.
beta_at <- function(theta) optimize(function(b) exact_laplace(c(theta, b)), c(-1, 1), tol = 1e-12)
o <- optimize(function(theta) beta_at(theta)$objective, c(0.3, 1.5), tol = 1e-12)
opt <- c(o$minimum, beta_at(o$minimum)$minimum)
cat("\n## exact-mode Laplace, null model: nested optimize(exact_laplace) and lme4:::deriv12(exact_laplace, optimum)\n")
show("theta, beta", opt)
show("criterion", exact_laplace(opt))
show("se", sqrt(2 * solve(lme4:::deriv12(exact_laplace, opt)$Hessian)[2, 2]))

# The grouped binomial rows: glmer(cbind(k, n - k) ~ ...) reports -2 log L smaller by 2 sum(log choose(n, k)).
s <- aggregate(cbind(k = in_work, n = 1) ~ stratum + sex + age + birth + education, data = d, FUN = sum)
gg <- glmer(cbind(k, n - k) ~ 1 + (1 | stratum), data = s, family = binomial, control = glmerControl(tolPwrss = 1e-13))
cat("\n## grouped rows: glmer(cbind(k, n - k) ~ 1 + (1 | stratum), data = s, family = binomial)\n")
show("-2*logLik grouped", -2 * as.numeric(logLik(gg)))
show("sum(lchoose(n, k))", sum(lchoose(s$n, s$k)))
show("theta grouped", getME(gg, "theta"))

# Boundary data: the additive model's theta is 0 (isSingular).
b <- boundary_microdata()
b$stratum <- factor(b$stratum); b$sex <- factor(b$sex); b$age <- factor(b$age)
mb <- lmer(hours ~ sex + age + (1 | stratum), data = b, REML = TRUE)
cat("\n## lmer(hours ~ sex + age + (1 | stratum), data = boundary, REML = TRUE)\n")
show("theta", getME(mb, "theta")); show("isSingular", as.numeric(isSingular(mb)))
show("residual variance", sigma(mb)^2); show("fixef", fixef(mb)); show("se", sqrt(diag(as.matrix(vcov(mb)))))
show("REMLcrit", REMLcrit(mb))
mb0 <- lmer(hours ~ 1 + (1 | stratum), data = b, REML = TRUE)
cat("## lmer(hours ~ 1 + (1 | stratum), data = boundary, REML = TRUE)\n")
show("theta", getME(mb0, "theta")); show("residual variance", sigma(mb0)^2); show("REMLcrit", REMLcrit(mb0))

# Per-stratum values for the C++ tests.
vec <- function(name, x) c(sprintf("inline constexpr std::array<double, %d> %s{{", length(x), name),
                           paste0("    ", f17(x), ","), "}};")
out <- c("// Generated by tests/reference/intersectional/maihda_reference.R (do not edit): lme4 1.1.31's",
         "// per-stratum values on the MAIHDA test microdata, strata in the order of maihda_test_strata.hpp.",
         "#pragma once", "", "#include <array>", "", "namespace jamstat::test_data {", "",
         "// lmer(hours ~ 1 + (1 | stratum), REML = TRUE): ranef(condVar = TRUE), sqrt(postVar), fitted, Henderson PEV sd",
         vec("lmer_null_ranef", ln$re), vec("lmer_null_condsd", ln$sd), vec("lmer_null_fitted", ln$fitted),
         vec("lmer_null_pev_sd", ln$pev),
         "// lmer(hours ~ sex + age + birth + education + (1 | stratum), REML = TRUE): the same",
         vec("lmer_additive_ranef", la$re), vec("lmer_additive_condsd", la$sd), vec("lmer_additive_fitted", la$fitted),
         vec("lmer_additive_pev_sd", la$pev),
         "// glmer(in_work ~ ..., binomial, nAGQ = 1), tight: conditional modes b = theta u, sqrt(condVar), fitted",
         vec("glmer_null_ranef", glog[["1 null"]]$b), vec("glmer_null_condsd", glog[["1 null"]]$sd),
         vec("glmer_null_fitted", glog[["1 null"]]$fitted),
         vec("glmer_additive_ranef", ga$b), vec("glmer_additive_condsd", ga$sd), vec("glmer_additive_fitted", ga$fitted),
         "// the same with nAGQ = 25",
         vec("glmer25_additive_ranef", glog[["25 additive"]]$b), vec("glmer25_additive_condsd", glog[["25 additive"]]$sd),
         "", "}  // namespace jamstat::test_data")
writeLines(out, "tests/analysis/maihda_lme4_strata.hpp")
