# Reference values of tests/analysis/oaxaca_cross_products_test.cpp: the Oaxaca-Blinder
# decomposition of the women-men gap with numeric characteristics, from R's lm on the microdata
# that the test generates with the same integer formulas.
# Run: Rscript tests/reference/analysis/oaxaca_cross_products.R
# (R 4.2.2, stats::lm; Jann 2008's formulas for the twofold decomposition with the pooled
# coefficients of a regression with a group indicator, and the threefold one from the second
# group's viewpoint.)
N <- 3000
i <- 0:(N - 1)
sex <- ifelse(i %% 61 == 60, 9L, ifelse(i %% 2 == 0, 2L, 1L))
region <- i %% 3 + 1
hours_units <- (i * 7919) %% 4001 + 500          # 0.01 h
cost_units <- (i * 104729) %% 3001 + 200         # 1 SEK
noise <- (i * 6007) %% 501 - 250
female <- sex == 2
income <- (hours_units * ifelse(female, 17, 23)) %/% 10 + cost_units %/% 4 + 150 * region + noise + ifelse(female, 0, 800)
work <- as.integer((i * 31) %% 7 < 3 + as.integer(hours_units > 2500))
d <- data.frame(sex, region = factor(region), hours = hours_units / 100, cost = cost_units, income, work)
d <- d[d$sex %in% c(1L, 2L), ]
d$female <- as.integer(d$sex == 2)
w <- d[d$sex == 2, ]
m <- d[d$sex == 1, ]

decompose <- function(formula, pooled_formula, label) {
  fa <- lm(formula, data = w)
  fb <- lm(formula, data = m)
  fp <- lm(pooled_formula, data = d)
  xa <- colMeans(model.matrix(fa))
  xb <- colMeans(model.matrix(fb))
  ba <- coef(fa)
  bb <- coef(fb)
  bs <- coef(fp)[names(ba)]  # the pooled coefficients without the group indicator's
  gap <- mean(model.response(model.frame(fa))) - mean(model.response(model.frame(fb)))
  explained <- sum((xa - xb) * bs)
  cat(sprintf("// %s\n", label))
  cat(sprintf("//   women: lm(%s); men: the same; pooled: lm(%s) on women and men\n",
              deparse(formula), deparse(pooled_formula)))
  out <- c(gap = gap, explained = explained, unexplained = gap - explained,
           unexplained_first = sum(xa * (ba - bs)), unexplained_second = sum(xb * (bs - bb)),
           endowments = sum((xa - xb) * bb), coefficients = sum(xb * (ba - bb)),
           interaction = sum((xa - xb) * (ba - bb)))
  for (n in names(out)) cat(sprintf("  %s = %.17g\n", n, out[[n]]))
  for (n in names(ba)) cat(sprintf("  coef %s: women %.17g men %.17g pooled %.17g explained %.17g\n", n, ba[[n]], bb[[n]],
                                   bs[[n]], (xa[[n]] - xb[[n]]) * bs[[n]]))
}
decompose(income ~ hours + cost, income ~ hours + cost + female, "income on hours and cost")
decompose(work ~ hours + cost, work ~ hours + cost + female, "work (linear probability) on hours and cost")
decompose(income ~ hours + region, income ~ hours + region + female, "income on hours and region (first level omitted)")
cat(sprintf("  other sex participations = %d\n", sum(sex == 9)))
