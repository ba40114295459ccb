"""互助保障项目2020 use cases (manual 002, DOMAIN.md §6): the year's data, a unit's batches and rosters,
清册校验, attachments and the insurer's review, items and premiums, and what billing says back. The rules
are `domain.mutual_aid`; these load, apply them, save and record events in one transaction each."""

PROGRAMME = "mutual-aid"  # billing pays it into the 在职 account
