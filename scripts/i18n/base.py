T = {
 # accounts
 "Accounts": "账号", "full name": "姓名", "phone": "电话", "user": "用户", "users": "用户",
 "District": "区级", "Township or park": "镇街园区", "Department": "部门",
 "Organization contact": "单位联络人", "Service officer": "助企服务员", "role": "角色",
 "title": "职务", "e.g. 党组织书记, 企业联络员, 组织委员": "如：党组织书记、企业联络员、组织委员",
 "area": "属地", "department": "部门", "organization": "单位",
 "sees personal data unmasked": "可查看完整个人信息",
 "Only for roles whose work needs full ID numbers and phones; reads are logged.":
   "仅限工作确需完整身份证号和电话的角色；每次查看均留痕。",
 "roles": "角色", "Account locked": "账号已锁定",
 "Too many failed log-in attempts: this account is locked for now. Ask the district office to unlock it, or try again later.":
   "登录失败次数过多，账号已被临时锁定。请联系区两新工委解锁，或稍后再试。",
 "Log in": "登录", "Log in to Sanxin": "登录三新党建平台", "Username": "用户名", "Password": "密码",
 # core
 "Core": "基础", "created at": "创建时间", "updated at": "更新时间",
 "A Agriculture, forestry, animal husbandry and fishery": "A 农、林、牧、渔业",
 "B Mining": "B 采矿业", "C Manufacturing": "C 制造业",
 "D Electricity, heat, gas and water supply": "D 电力、热力、燃气及水生产和供应业",
 "E Construction": "E 建筑业", "F Wholesale and retail": "F 批发和零售业",
 "G Transport, storage and postal services": "G 交通运输、仓储和邮政业",
 "H Accommodation and catering": "H 住宿和餐饮业",
 "I Information transmission, software and IT services": "I 信息传输、软件和信息技术服务业",
 "J Finance": "J 金融业", "K Real estate": "K 房地产业", "L Leasing and business services": "L 租赁和商务服务业",
 "M Scientific research and technical services": "M 科学研究和技术服务业",
 "N Water, environment and public facilities management": "N 水利、环境和公共设施管理业",
 "O Resident services, repair and other services": "O 居民服务、修理和其他服务业",
 "P Education": "P 教育", "Q Health and social work": "Q 卫生和社会工作",
 "R Culture, sports and entertainment": "R 文化、体育和娱乐业",
 "S Public administration, social security and social organizations": "S 公共管理、社会保障和社会组织",
 "T International organizations": "T 国际组织",
 "A unified social credit code has 18 characters; this one has %(n)d.": "统一社会信用代码应为18位，此处为%(n)d位。",
 "A unified social credit code uses digits and capital letters except I, O, S, V, Z.":
   "统一社会信用代码只能由数字和除 I、O、S、V、Z 以外的大写字母组成。",
 "The check character of this unified social credit code is wrong: a character was probably mistyped.":
   "统一社会信用代码校验位不符，可能有字符录入错误。",
 "This unified social credit code has an invalid registering authority, kind or area part.":
   "统一社会信用代码的登记管理部门、机构类别或行政区划部分无效。",
 "A resident ID number has 18 characters; this one has %(n)d.": "居民身份证号应为18位，此处为%(n)d位。",
 "The check character of this ID number is wrong: a digit was probably mistyped.": "身份证号校验位不符，可能有数字录入错误。",
 "This is not a valid resident ID number (format, area or birth date).": "不是有效的居民身份证号（格式、地区码或出生日期有误）。",
 "A phone number has 7 to 12 digits (a mobile has 11).": "电话号码应为7至12位数字（手机号为11位）。",
 # registry
 "Registry": "组织名录", "Unknown area code: choose a township or park.": "属地代码不存在，请选择镇街或园区。",
 "The number of employees cannot be negative.": "从业人数不能为负数。",
 "The number of workers cannot be negative.": "从业者人数不能为负数。",
 "This kind does not belong to the chosen domain.": "该类型不属于所选领域。",
 "Subdistrict (街道)": "街道", "Town (镇)": "镇", "Township (乡)": "乡", "Park (园区)": "园区",
 "area code": "区划代码", "name": "名称", "kind": "类型", "parent area": "上级区划",
 "latitude": "纬度", "longitude": "经度", "areas": "属地",
 "Industry authority (行业主管单位)": "行业主管单位", "Functional department (职能部门)": "职能部门",
 "code": "代码", "departments": "部门", "Non-public enterprise": "非公企业",
 "Social organization": "社会组织", "New-employment group": "新就业群体", "Company": "公司",
 "Individual business": "个体工商户", "Social group (社会团体)": "社会团体",
 "Social service agency (社会服务机构)": "社会服务机构", "Foundation (基金会)": "基金会",
 "Trade association or chamber (行业协会商会)": "行业协会商会", "Courier site": "快递网点",
 "Food-delivery station": "外卖配送站", "Ride-hailing fleet": "网约车车队", "Freight drivers": "货车司机之家",
 "Live-streaming base": "网络直播基地", "Operating": "在营", "Suspended": "停业", "Deregistered": "注销",
 "unified social credit code": "统一社会信用代码", "domain": "领域", "industry section": "行业门类",
 "industry authority": "行业主管单位", "employees": "从业人数", "new-employment workers": "新就业群体人数",
 "Couriers, riders or drivers working from this site": "在此站点工作的快递员、骑手或司机人数",
 "operating status": "经营状态", "fixed premises": "有固定场所", "address": "地址",
 "contact person": "联系人", "contact phone": "联系电话", "established": "成立日期",
 "in scope (三有)": "纳入统计（三有）", "organizations": "单位",
 "An organization with this unified social credit code already exists.": "已存在使用此统一社会信用代码的单位。",
 "Organizations": "单位名录", "三有": "三有", "No organization matches.": "没有符合条件的单位。",
 "Edit": "编辑", "yes": "是", "no": "否", "coordinates": "坐标", "New organization": "新增单位",
 "Save": "保存", "Cancel": "取消", "Export .xlsx": "导出 Excel", "Export .csv": "导出 CSV",
 "Name or credit code": "名称或信用代码", "All areas": "全部属地", "All industries": "全部行业",
 "All domains": "全部领域", "Any status": "全部状态", "三有 only": "仅三有", "Search": "查询",
 "Scope: %(scope)s": "范围：%(scope)s", "ID": "编号",
 # root
 "Chinese": "中文", "English": "英文", "Not allowed": "无权操作", "Your role does not allow this action.": "您的角色无权进行此操作。",
 "Not found": "未找到", "The page does not exist, or it is outside your scope.": "页面不存在，或不在您的权限范围内。",
 "Sanxin": "三新党建", "Sanxin party building": "三新领域党建与助企服务平台", "Menu": "菜单", "Language": "语言",
 "Switch": "切换", "no role": "无角色", "Log out": "退出", "Home": "首页", "Welcome": "您好",
 "Organizations in my scope": "我范围内的单位", "In scope (三有)": "三有单位", "Pages": "分页",
 "%(total)s result": ["共 %(total)s 条"], "Previous": "上一页", "Next": "下一页",
}
T.update({
 "More than %(total)s results: narrow the search or export the list": "超过 %(total)s 条结果：请缩小查询范围或导出名单",
})
T.update({"You may not do this.": "无权执行此操作。"})
T["Someone else changed this record after you opened it: your changes were not saved. Reload "
  "the page to see the current values, then edit again."] = (
    "您打开此页面后，他人已修改了这条记录：您的修改未保存。请刷新页面查看当前内容后再编辑。")
# API ordering (sanxin/core/apitools.py)
T.update({"Unknown ordering field “%(name)s”; allowed: %(allowed)s.":
          "未知的排序字段“%(name)s”；可用字段：%(allowed)s。"})
