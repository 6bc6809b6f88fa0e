-- The built-in ledger fields (issue 13), present on every installation. Admins may relabel or archive
-- them but not delete them. asset_number is unique: its partial unique index is the one
-- define-ledger-field creates for any unique field (src/server/ledger-fields/define-ledger-field.ts).
INSERT INTO "ledger_fields" ("key", "label_en", "label_zh", "type", "options", "kinds", "unique", "builtin", "position") VALUES
  ('owner', 'Owner', '负责人', 'text', '{}', '{host,cluster,vm}', false, true, 10),
  ('department', 'Department', '部门', 'text', '{}', '{host,cluster,vm}', false, true, 20),
  ('business_system', 'Business system', '业务系统', 'text', '{}', '{host,cluster,vm}', false, true, 30),
  ('environment', 'Environment', '环境', 'enum', '{production,staging,test,development}', '{host,cluster,vm}', false, true, 40),
  ('location', 'Location (site)', '位置（机房）', 'text', '{}', '{host,cluster}', false, true, 50),
  ('rack', 'Rack', '机柜', 'text', '{}', '{host}', false, true, 60),
  ('rack_unit', 'Rack unit', '机柜 U 位', 'number', '{}', '{host}', false, true, 70),
  ('lifecycle', 'Lifecycle', '生命周期', 'enum', '{in_use,idle,maintenance,retired,disposed}', '{host,cluster,vm}', false, true, 80),
  ('purchase_date', 'Purchase date', '采购日期', 'date', '{}', '{host}', false, true, 90),
  ('warranty_end', 'Warranty end', '保修截止日期', 'date', '{}', '{host}', false, true, 100),
  ('asset_number', 'Asset number', '资产编号', 'text', '{}', '{host,cluster,vm}', true, true, 110),
  ('cost_center', 'Cost center', '成本中心', 'text', '{}', '{host,cluster,vm}', false, true, 120),
  ('notes', 'Notes', '备注', 'long_text', '{}', '{host,cluster,vm}', false, true, 130);
--> statement-breakpoint
CREATE UNIQUE INDEX "asset_ledger_unique_asset_number" ON "asset_ledger" (("values" ->> 'asset_number')) WHERE "values" ? 'asset_number';
