"""退休住院计划 (retiree hospitalisation plan, manual 003, DOMAIN.md §7) as plain rules: the year and its
windows, a batch's statuses and steps, the payment mode and the money, the roster template and phones,
what social security's answers make of a person, the ratio per social-security unit code, the people
without social security, and the units."""
