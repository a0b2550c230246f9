# lme4 on the microdata that bench/analysis_jobs.cpp wrote: the same MAIHDA models as jamstat
# (strata = sex x age band x birth region x education; lmer with REML, glmer with the Laplace
# approximation, both at their default settings), timed, printing the same "PHASE" and
# "ESTIMATE" lines. Usage: Rscript bench/analysis_vs_lme4.R microdata.csv
suppressPackageStartupMessages(library(lme4))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = rep(c("factor", "numeric"), c(4, 2)))
d$stratum <- interaction(d$sex, d$age_band, d$birth_region, d$education, drop = TRUE)
phase <- function(name, expr) {
  t <- system.time(r <- force(expr))[["elapsed"]]
  cat(sprintf("PHASE %s %.6f\n", name, t))
  r
}
est <- function(name, value) cat(sprintf("ESTIMATE %s %.10g\n", name, value))
fit_lmer <- function(f) lmer(f, data = d, REML = TRUE)
fit_glmer <- function(f) glmer(f, data = d, family = binomial)
show_fit <- function(prefix, m, logistic) {
  vc <- as.data.frame(VarCorr(m))
  between <- vc$vcov[vc$grp == "stratum"]
  residual <- if (logistic) pi^2 / 3 else sigma(m)^2
  est(paste0(prefix, ".intercept"), fixef(m)[[1]])
  est(paste0(prefix, ".between_variance"), between)
  est(paste0(prefix, ".residual_variance"), residual)
  est(paste0(prefix, ".vpc"), between / (between + residual))
  est(paste0(prefix, ".deviance"), if (logistic) deviance(m) else REMLcrit(m))
}
additive_hours <- hours ~ sex + age_band + birth_region + education + (1 | stratum)
additive_work <- in_work_or_studies ~ sex + age_band + birth_region + education + (1 | stratum)
ln <- phase("maihda_linear_null", fit_lmer(hours ~ 1 + (1 | stratum)))
la <- phase("maihda_linear_additive", fit_lmer(additive_hours))
gn <- phase("maihda_logistic_null", fit_glmer(in_work_or_studies ~ 1 + (1 | stratum)))
ga <- phase("maihda_logistic_additive", fit_glmer(additive_work))
est("maihda.strata", nlevels(d$stratum))
show_fit("maihda_linear.null", ln, FALSE)
show_fit("maihda_linear.additive", la, FALSE)
show_fit("maihda_logistic.null", gn, TRUE)
show_fit("maihda_logistic.additive", ga, TRUE)
