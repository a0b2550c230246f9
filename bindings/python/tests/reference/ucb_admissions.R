# Reference values of bindings/python/tests/test_gap.py (R 4.2.2, base R only):
#   Rscript bindings/python/tests/reference/ucb_admissions.R
# UCBAdmissions by sex and department; women are compared with men (women first).
x <- aperm(UCBAdmissions, c(2, 1, 3))[2:1, , ]   # Gender (Female, Male) x Admit x Dept
mh <- mantelhaen.test(x, correct = FALSE)
cat(sprintf("mh_odds_ratio %.17g\n", mh$estimate))
cat(sprintf("mh_p_value %.17g\n", mh$p.value))
raw <- apply(x, c(1, 2), sum)
cat(sprintf("raw_women %d of %d, raw_men %d of %d\n", raw[1, 1], sum(raw[1, ]), raw[2, 1], sum(raw[2, ])))
cat(sprintf("raw_difference %.17g\n", raw[1, 1] / sum(raw[1, ]) - raw[2, 1] / sum(raw[2, ])))
ct <- chisq.test(raw, correct = FALSE)
cat(sprintf("raw_chisq %.17g raw_p %.17g\n", ct$statistic, ct$p.value))
# department A alone
a <- x[, , "A"]
cat(sprintf("dept_A_women %d of %d, men %d of %d\n", a[1, 1], sum(a[1, ]), a[2, 1], sum(a[2, ])))
