"""上海职工互助保障项目2020 (in-service mutual-aid programme 2020) — manual 002 (参保手册, 2023-06-16), DOMAIN.md §6.

Plain rules, no I/O. Every price, date, ratio and waiting period is the programme-year's data, passed in:
- `year`: 参保时间 / 保障期限 / 免责期 (一、参保要点): which channel is open, cover, half-year pricing,
  waiting periods;
- `items`: 保障项目选择 (二(四), 三 4.): the items A0–C3, the unit's choice, who gets which, the premium
  table split into 社保人员 / 非社保人员;
- `template`: the roster upload template (二(三) 方式三);
- `roster`: 清册校验 (二(三)) and the once-per-year rule (四 其他事项);
- `batch`: 参保状态 of a batch, delete and withdraw (二(七), 四 其他事项);
- `payment`: the voucher deadline and the refund (二(五)).
"""
