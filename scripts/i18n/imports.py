T = {
 "Imports": "数据导入", "Import": "导入", "Instructions": "填写说明",
 "%(target)s: import template (columns marked * are required)": "%(target)s导入模板（带 * 的列为必填）",
 "column": "列", "required": "必填", "example": "示例", "note": "说明", "yes": "是", "no": "否",
 "Expected a code, found a yes/no value.": "此处应为代码，却是“是/否”值。",
 "This code was stored as a number and has %(n)d digits instead of %(length)d: format the column as text and enter the code again.":
   "该代码被存成了数字，只有%(n)d位而不是%(length)d位：请把该列设为“文本”格式后重新录入。",
 "Excel turned this code into a number (%(shown)s) and its last digits were lost: format the column as text and enter the code again.":
   "Excel 把该代码变成了数字（%(shown)s），后几位已经丢失：请把该列设为“文本”格式后重新录入。",
 "This code was stored as a number (%(shown)s): format the column as text and enter the code again.":
   "该代码被存成了数字（%(shown)s）：请把该列设为“文本”格式后重新录入。",
 "Expected a whole number.": "应为整数。",
 "Expected a whole number, found “%(value)s”.": "应为整数，实际为“%(value)s”。",
 "The number cannot be below %(minimum)d.": "数值不能小于%(minimum)d。",
 "Expected a number, found “%(value)s”.": "应为数字，实际为“%(value)s”。",
 "The number must be between %(low)s and %(high)s.": "数值应在%(low)s到%(high)s之间。",
 "Expected yes or no (是/否), found “%(value)s”.": "应填“是”或“否”，实际为“%(value)s”。",
 "Expected a date such as 2024-08-04, found “%(value)s”.": "应为日期（如 2024-08-04），实际为“%(value)s”。",
 "What to import": "导入内容", "File (.xlsx or .csv)": "文件（.xlsx 或 .csv）",
 "Choose a file to upload.": "请选择要上传的文件。", "The file is empty.": "文件是空的。",
 "The check stopped on an unexpected error.": "检查因意外错误中止。",
 "The data changed since the check: nothing was imported. Fix the problems and upload the file again.":
   "检查之后数据已发生变化：本次未导入任何数据。请修正问题后重新上传。",
 "The import stopped on an error and nothing was changed: %(error)s": "导入因错误中止，数据未作任何改动：%(error)s",
 "Queued": "排队中", "Checking": "检查中", "Checked: ready to import": "检查通过，可以导入",
 "Problems found": "发现问题", "Importing": "导入中", "Imported": "已导入", "Failed: nothing was changed": "失败：数据未改动",
 "user": "用户", "what is imported": "导入内容", "file": "文件", "file name": "文件名", "language": "语言",
 "Problems are written in the uploader's language.": "问题说明使用上传人的界面语言。",
 "status": "状态", "data rows": "数据行数", "rows processed": "已处理行数", "header row": "表头所在行",
 "new rows": "新增行数", "updated rows": "更新行数", "unchanged rows": "无变化行数", "problems": "问题数",
 "message": "说明", "created at": "创建时间", "checked at": "检查时间", "applied at": "导入时间",
 "import job": "导入任务", "import jobs": "导入任务", "row": "行号",
 "Row number as the spreadsheet shows it; empty for the whole file.": "电子表格中显示的行号；针对整个文件的问题为空。",
 "value": "单元格内容", "problem": "问题", "import problem": "导入问题", "import problems": "导入问题",
 "The file has no rows.": "文件中没有任何行。",
 "No header row found in the first %(n)d rows: the file must have a row with the column names (%(names)s). Download the template to see them.":
   "前%(n)d行中没有找到表头：文件须有一行列名（%(names)s）。可下载模板查看。",
 "The column “%(column)s” appears twice in the header (row %(row)d).": "表头（第%(row)d行）中“%(column)s”列出现了两次。",
 "Missing column(s) in the header (row %(row)d): %(columns)s.": "表头（第%(row)d行）缺少列：%(columns)s。",
 "The file has a header but no data rows.": "文件只有表头，没有数据行。",
 "Duplicate key %(key)s: already in row %(first)d of this file.": "重复的标识 %(key)s：本文件第%(first)d行已有。",
 "%(key)s does not exist in your scope.": "%(key)s 在您的管理范围内不存在。",
 "%(key)s belongs to a record outside your scope: it cannot be changed from this file.":
   "%(key)s 属于您管理范围以外的记录，不能通过本文件修改。",
 "This is an old Excel 97–2003 (.xls) file: open it in Excel or WPS and save it as .xlsx, then upload it again.":
   "这是旧版 Excel 97–2003（.xls）文件：请用 Excel 或 WPS 打开并另存为 .xlsx 后重新上传。",
 "The file looks like a compressed archive but is not an .xlsx workbook.": "该文件像是压缩包，但不是 .xlsx 工作簿。",
 "The workbook has no sheet.": "工作簿中没有工作表。",
 "This is not a spreadsheet: upload an .xlsx or .csv file.": "这不是电子表格：请上传 .xlsx 或 .csv 文件。",
 "The file is not valid %(encoding)s text after line %(line)d: save it again as UTF-8 CSV.":
   "第%(line)d行之后的内容不是有效的 %(encoding)s 文本：请重新另存为 UTF-8 CSV。",
 "The CSV file is malformed after line %(line)d (%(error)s).": "CSV 文件第%(line)d行之后格式有误（%(error)s）。",
 "Upload an .xlsx or .csv file (this one is “%(name)s”).": "请上传 .xlsx 或 .csv 文件（当前为“%(name)s”）。",
 "The file is larger than %(mb)d MB: split it into several files.": "文件超过 %(mb)d MB：请拆分成几个文件。",
 "Only a checked file without problems can be imported.": "只有检查通过、没有问题的文件才能导入。",
 "unified social credit code": "统一社会信用代码", "name": "名称", "domain": "领域", "kind": "类型", "area": "属地",
 "industry section": "行业门类", "industry authority": "行业主管单位", "employees": "从业人数",
 "new-employment workers": "新就业群体人数", "operating status": "经营状态", "fixed premises": "有固定场所",
 "address": "地址", "latitude": "纬度", "longitude": "经度", "contact person": "联系人", "contact phone": "联系电话",
 "established": "成立日期", "Organizations": "单位名录",
 "Format the column as text so Excel keeps all 18 characters.": "请把该列设为“文本”格式，Excel 才会保留全部18位。",
 "enterprise, social or new_employment, or the label": "enterprise、social、new_employment 或其中文名称",
 "Area code or name of a township or park": "镇街或园区的代码或名称",
 "GB/T 4754 section letter A–T": "GB/T 4754 门类字母 A–T",
 "Enterprises, social organizations and new-employment sites, e.g. the market supervision bureau's register. Matched by unified social credit code.":
   "企业、社会组织和新就业群体站点，例如市场监管局的主体名录。按统一社会信用代码匹配。",
 "The name is required.": "名称必填。", "At most 120 characters.": "最多120个字符。",
 "Unknown area “%(value)s”: use the code or name of a township or park in your scope.":
   "未知属地“%(value)s”：请填写您管理范围内镇街或园区的代码或名称。",
 "Unknown industry authority “%(value)s”.": "未知行业主管单位“%(value)s”。",
 "At most %(n)d characters.": "最多%(n)d个字符。", "This column is required.": "该列必填。",
 "Unknown value “%(value)s”.": "无法识别的值“%(value)s”。",
 "This kind does not belong to the domain “%(domain)s”.": "该类型不属于“%(domain)s”领域。",
 "Enterprises and social organizations need their unified social credit code.": "企业和社会组织必须填写统一社会信用代码。",
 "A masked phone number cannot be imported: enter the full number.": "打码的电话号码不能导入：请填写完整号码。",
 "Progress": "进度", "Import from Excel or CSV": "从 Excel 或 CSV 导入",
 "Upload a file: it is first checked without changing anything, and every problem is listed by row and column. Nothing is written until you confirm a file without problems; then all of it is imported, or nothing.":
   "上传文件后先做检查，不改动任何数据，所有问题按行、列逐条列出。只有确认一个没有问题的文件后才会写入：要么全部导入，要么一条都不导入。",
 "Upload and check": "上传并检查", "Templates": "导入模板", "My recent imports": "我最近的导入",
 "No imports yet.": "还没有导入记录。",
 "No problems found. Importing will add %(create)s and update %(update)s rows, all in one step.":
   "未发现问题。导入将一次性新增 %(create)s 行、更新 %(update)s 行。",
 "Confirm and import": "确认导入", "Imported.": "已导入。",
 "Nothing was imported. Correct the file and upload it again.": "未导入任何数据。请修正文件后重新上传。",
 "Problems": "问题清单", "Download all problems (.csv)": "下载全部问题（.csv）",
 "The first %(n)s are shown.": "仅显示前 %(n)s 条。", "Scope: %(scope)s": "范围：%(scope)s",
 # party organizations and members
 "“%(value)s” is ambiguous: use the ID.": "“%(value)s”有重名：请填写ID。",
 "parent organization": "上级党组织", "covered organizations": "覆盖单位",
 "Credit codes of the covered organizations, separated by ;": "所覆盖单位的统一社会信用代码，用分号分隔",
 "committee members": "支委会人数", "founded": "成立日期", "term start": "本届任期开始", "term end": "本届任期届满",
 "Unknown party organization “%(value)s” in your scope.": "您的管理范围内没有党组织“%(value)s”。",
 "Party organizations": "党组织",
 "Party committees, branches and joint branches with the organizations they cover. Matched by ID, else by name within the area.":
   "党委、党总支、党支部和联合党支部及其覆盖的单位。按ID匹配，没有ID时按属地内的名称匹配。",
 "The term must end after it starts.": "任期届满日期应晚于开始日期。",
 "No organization in your scope with the credit code(s) %(codes)s.": "您的管理范围内没有统一社会信用代码为 %(codes)s 的单位。",
 "“%(name)s” in its area": "属地内的“%(name)s”", "gender": "性别", "birth date": "出生日期",
 "resident ID number": "身份证号", "phone": "联系电话", "admitted as probationary member": "入党时间",
 "became full member": "转正时间", "party organization": "党组织", "employer": "工作单位",
 "Credit code or name of an organization in your scope": "您管理范围内单位的统一社会信用代码或名称",
 "flowing member (流动党员)": "流动党员", "role in the organization": "党内职务", "Party members": "党员",
 "Party members of the party organizations in your scope. Matched by resident ID number (one record per person), else by ID.":
   "您管理范围内各党组织的党员。按身份证号匹配（一人一条记录），没有身份证号时按ID匹配。",
 "Unknown organization “%(value)s” in your scope.": "您的管理范围内没有单位“%(value)s”。",
 "“%(value)s” is ambiguous: use the credit code.": "“%(value)s”有重名：请填写统一社会信用代码。",
 "A member becomes full only after being admitted.": "转正时间不能早于入党时间。",
 "The resident ID number is required to tell members apart.": "须填写身份证号以区分党员。",
 "this ID number": "该身份证号", "A masked ID number cannot be imported: enter the full number.": "打码的身份证号不能导入：请填写完整号码。",
}
T.update({
 "Row %(first)d of this file already changes the same record.": "本文件第%(first)d行已修改同一条记录。",
})
T.update({
 "The uploaded file was deleted after %(days)d days without being imported: upload it again.":
     "上传的文件%(days)d天内未导入，已被删除：请重新上传。",
 "village or community (村/社区)": "村/社区党组织",
 "是 for a 村/社区 organization: its committee serves 5 years": "村/社区党组织填“是”：其支委会任期 5 年",
})
# the imports API (sanxin/imports/api.py)
T.update({"Your role may not import %(kind)s.": "您的角色无权导入%(kind)s。"})
