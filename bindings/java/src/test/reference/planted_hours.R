# Reference values of bindings/java/src/test/java/se/jamstat/IntersectionalTest.java for the
# measure `hours` on the planted MAIHDA data of tests/c_api/analysis_test.c (54 strata:
# sex x age x birth x education, participations and in-work counts as there), with hours drawn
# deterministically per row (the test computes the same formula):
#   row i (0-based, strata in the table's order, rows within a stratum in order):
#   hours = 20 + 5 age - 3 [birth == 2] + 4 education - 2 [woman] + 10 [planted stratum]
#           + ((i * 7919) %% 601 - 300) / 100
# where the planted stratum is women, age 0, birth 2, education 1.
#
#   Rscript bindings/java/src/test/reference/planted_hours.R
#
# R 4.2.2, lme4 1.1.31: lmer with REML (its default) and ML, null and additive models; and the
# Oaxaca-Blinder twofold decomposition (women - men) with the pooled reference with a group
# indicator (Jann 2008), by hand from lm() on the microdata; and the same decomposition of
# in_work (a linear probability model).
suppressMessages(library(lme4))
planted <- matrix(c(
  0,0,0,0,25,10, 0,0,0,1,55,29, 0,0,0,2,16,8, 0,0,1,0,58,28, 0,0,1,1,26,16, 0,0,1,2,17,10,
  0,0,2,0,31,7, 0,0,2,1,120,3, 0,0,2,2,45,25, 0,1,0,0,41,26, 0,1,0,1,29,17, 0,1,0,2,55,38,
  0,1,1,0,10,4, 0,1,1,1,57,37, 0,1,1,2,12,7, 0,1,2,0,11,6, 0,1,2,1,5,0, 0,1,2,2,9,8,
  0,2,0,0,15,6, 0,2,0,1,44,10, 0,2,0,2,46,28, 0,2,1,0,38,19, 0,2,1,1,50,17, 0,2,1,2,56,31,
  0,2,2,0,7,3, 0,2,2,1,46,12, 0,2,2,2,51,20, 1,0,0,0,59,26, 1,0,0,1,28,18, 1,0,0,2,57,39,
  1,0,1,0,14,6, 1,0,1,1,17,9, 1,0,1,2,57,40, 1,0,2,0,59,21, 1,0,2,1,39,19, 1,0,2,2,10,5,
  1,1,0,0,60,33, 1,1,0,1,38,25, 1,1,0,2,32,27, 1,1,1,0,37,27, 1,1,1,1,34,25, 1,1,1,2,41,32,
  1,1,2,0,38,19, 1,1,2,1,60,35, 1,1,2,2,44,31, 1,2,0,0,4,1, 1,2,0,1,21,16, 1,2,0,2,41,27,
  1,2,1,0,9,5, 1,2,1,1,20,8, 1,2,1,2,5,2, 1,2,2,0,44,18, 1,2,2,1,5,1, 1,2,2,2,15,10),
  ncol = 6, byrow = TRUE)
rows <- do.call(rbind, lapply(seq_len(nrow(planted)), function(r) {
  p <- planted[r, ]
  data.frame(male = p[1], age = p[2], birth = p[3], education = p[4], in_work = as.integer(seq_len(p[5]) <= p[6]))
}))
i <- seq_len(nrow(rows)) - 1
woman <- rows$male == 0
plant <- woman & rows$age == 0 & rows$birth == 2 & rows$education == 1
rows$hours <- 20 + 5 * rows$age - 3 * (rows$birth == 2) + 4 * rows$education - 2 * woman + 10 * plant +
  ((i * 7919) %% 601 - 300) / 100
d <- rows
d$stratum <- factor(paste(d$male, d$age, d$birth, d$education))
for (v in c("male", "age", "birth", "education")) d[[v]] <- factor(d[[v]])
for (reml in c(TRUE, FALSE)) {
  for (f in list(hours ~ 1 + (1 | stratum), hours ~ male + age + birth + education + (1 | stratum))) {
    m <- lmer(f, data = d, REML = reml)
    vc <- as.data.frame(VarCorr(m))
    cat(sprintf("lmer(%s, REML = %s): theta %.17g between %.17g residual %.17g criterion %.17g\n",
                deparse(f), reml, getME(m, "theta"), vc$vcov[1], sigma(m)^2, if (reml) REMLcrit(m) else deviance(m)))
  }
}
# Oaxaca-Blinder, pooled with the group indicator: explained = (xbar_w - xbar_m) b_pooled (the
# indicator's coefficient left out), unexplained = gap - explained.
X <- model.matrix(~ age + birth + education, data = d)
for (y in c("hours", "in_work")) {
  bp <- coef(lm(d[[y]] ~ X[, -1] + woman))[1:ncol(X)]
  xw <- colMeans(X[woman, ]); xm <- colMeans(X[!woman, ])
  gap <- mean(d[[y]][woman]) - mean(d[[y]][!woman])
  explained <- sum((xw - xm) * bp)
  cat(sprintf("oaxaca %s pooled with group: gap %.17g explained %.17g unexplained %.17g\n", y, gap, explained, gap - explained))
}
