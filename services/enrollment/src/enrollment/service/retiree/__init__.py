"""退休住院计划 use cases (manual 003, DOMAIN.md §7, docs/retiree-api.md): the year's data, the units and
their name changes, a unit's batches through the step bar — people, validation by social security, the
insurer's review, the pension withholding by the bank — to billing and 投保成功. The rules are
`domain.retiree`; these load, apply them, save and record events in one transaction each."""

PROGRAMME = "retiree-hospital"  # billing pays it into the 退休 account
PROGRAMME_NAME = "退休住院计划"
