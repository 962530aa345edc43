T = {
 "personal data erased": "个人信息已删除",
 "This member's personal data was already erased.": "该党员的个人信息已删除。",
 "%(name)s holds an office in %(org)s: the party's records must name office holders. Hand the office to someone else first.":
   "%(name)s 在 %(org)s 担任职务：党组织的记录须载明任职人员。请先将职务交由他人。",
 "Erased member %(id)s": "已删除党员 %(id)s",
 "Give the reason (the member's request and its reference).": "请填写原因（本人申请及其编号）。",
 "reason (the member's request and its reference)": "原因（本人申请及其编号）",
 "I understand that erasure cannot be undone": "我知道删除后无法恢复",
 "The member's personal data was erased.": "该党员的个人信息已删除。",
 "Export the member's data": "导出本人数据",
 "Erase personal data": "删除个人信息",
 "Personal data erased on request on %(when)s.": "已于 %(when)s 应本人申请删除个人信息。",
 "The name, ID number, phone and birth date are replaced or removed; the member's attendance, study, volunteering and membership stay, so that every count and rate stays as it was. The erasure is recorded with your name and the reason.":
   "姓名、身份证号、电话和出生日期将被替换或删除；该党员的参会、学习、志愿服务和党员身份记录保留，各项统计数和比率保持不变。删除操作将连同您的姓名和原因记入审计日志。",
 "Cancel": "取消",
}
