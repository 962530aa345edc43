T = {
 "kind of record": "记录类型", "record": "记录", "from": "起", "to": "止", "any": "全部",
 "The end of the period is before its start.": "截止日期早于开始日期。", "time": "时间",
 "Empty for an export of many records": "批量导出时为空", "fields": "字段", "rows": "行数",
 "channel": "途径", "page": "页面", "export": "导出", "API": "接口",
 "personal data read": "个人信息查看记录", "personal data reads": "个人信息查看记录",
 "Audit trail": "审计日志", "Locked accounts": "锁定账号", "Changes": "数据变更",
 "Personal data reads": "个人信息查看", "action": "操作", "changes": "变更内容",
 "Nothing recorded for this search.": "没有符合条件的记录。", "failures": "失败次数",
 "last attempt": "最近尝试", "Unlock": "解锁", "No account is locked.": "当前没有被锁定的账号。",
 "Change password": "修改密码", "Your password was changed.": "密码已修改。",
 "%(user)s is unlocked.": "已解锁 %(user)s。",
}
