"""Cards service: the co-branded member service card (工会会员服务卡), DOMAIN.md §4."""
