// The SpreadsheetML parts of a workbook, as strings: the small fixed parts (content types, relationships,
// workbook, styles, properties) and a worksheet's head, rows and tail. Written by hand rather than through
// exceljs' object model, which spent most of an export building one style object per cell (issue 14: the
// workbook of 40,000 VMs must cost at most 4× the CSV). Pure functions: no streams, no zip.

const MAIN = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG_REL = 'http://schemas.openxmlformats.org/package/2006/relationships';
const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** cellXfs indices in styles.xml (below): what a cell's `s` attribute points at. */
export const STYLE = { header: 1, integer: 2, date: 3 } as const;

/** A sheet as the workbook part lists it. */
export interface SheetPart {
  name: string;
  columns: number;
  rows: number;
}

/** Escapes element text: &, < and > (quotes are only special in attributes). */
export function escapeText(s: string): string {
  if (!/[&<>]/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const escapeAttr = (s: string): string => escapeText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;');

/** The column letters of a 0-based index: 0 → A, 25 → Z, 26 → AA. */
export function columnLetters(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** Excel's serial day number (1900 date system, UTC) of a time. */
export const excelSerial = (d: Date): number => d.getTime() / 86_400_000 + 25_569;

/** A string cell, inline (no shared-string table to keep until the end). Never a formula: text stays text. */
export function stringCell(ref: string, s: string, style = 0): string {
  // Excel reads `_xHHHH_` in text as an escaped character: escape the underscore so the text round-trips.
  const t = s.includes('_x') ? s.replace(/_(x[0-9A-Fa-f]{4}_)/g, '_x005F_$1') : s;
  const space =
    t.length && (t.charCodeAt(0) <= 32 || t.charCodeAt(t.length - 1) <= 32) ? ' xml:space="preserve"' : '';
  return `<c r="${ref}"${style ? ` s="${style}"` : ''} t="inlineStr"><is><t${space}>${escapeText(t)}</t></is></c>`;
}

export const numberCell = (ref: string, n: number, style = 0): string =>
  `<c r="${ref}"${style ? ` s="${style}"` : ''}><v>${n}</v></c>`;

export const booleanCell = (ref: string, b: boolean): string => `<c r="${ref}" t="b"><v>${b ? 1 : 0}</v></c>`;

/** Everything of a worksheet before its first row: frozen header row, column widths. */
export function sheetHead(widths: readonly number[]): string {
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`);
  return (
    `${HEAD}<worksheet xmlns="${MAIN}" xmlns:r="${REL}"><sheetViews><sheetView workbookViewId="0">` +
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>' +
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>' +
    `<sheetFormatPr defaultRowHeight="15"/>${cols.length ? `<cols>${cols.join('')}</cols>` : ''}<sheetData>`
  );
}

/** The header row's cell range and the whole sheet's, for the autofilter. */
const filterRange = (columns: number, rows: number): string =>
  `A1:${columnLetters(Math.max(columns, 1) - 1)}${rows + 1}`;

/** Everything after the last row: the autofilter over the header and the data below it. */
export const sheetTail = (columns: number, rows: number): string =>
  `</sheetData><autoFilter ref="${filterRange(columns, rows)}"/></worksheet>`;

export function contentTypes(sheets: number): string {
  const ct = 'application/vnd.openxmlformats-officedocument';
  const over = (part: string, type: string) => `<Override PartName="${part}" ContentType="${type}"/>`;
  const ws = Array.from({ length: sheets }, (_, i) =>
    over(`/xl/worksheets/sheet${i + 1}.xml`, `${ct}.spreadsheetml.worksheet+xml`),
  );
  return (
    `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
    `<Default Extension="rels" ContentType="${ct.replace('officedocument', 'package')}.relationships+xml"/>` +
    '<Default Extension="xml" ContentType="application/xml"/>' +
    over('/xl/workbook.xml', `${ct}.spreadsheetml.sheet.main+xml`) +
    ws.join('') +
    over('/xl/styles.xml', `${ct}.spreadsheetml.styles+xml`) +
    over('/docProps/core.xml', 'application/vnd.openxmlformats-package.core-properties+xml') +
    over('/docProps/app.xml', `${ct}.extended-properties+xml`) +
    '</Types>'
  );
}

export const rootRels = (): string =>
  `${HEAD}<Relationships xmlns="${PKG_REL}">` +
  `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/>` +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/>` +
  '</Relationships>';

export function workbookRels(sheets: number): string {
  const ws = Array.from(
    { length: sheets },
    (_, i) =>
      `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`,
  );
  return (
    `${HEAD}<Relationships xmlns="${PKG_REL}">${ws.join('')}` +
    `<Relationship Id="rId${sheets + 1}" Type="${REL}/styles" Target="styles.xml"/></Relationships>`
  );
}

/** The workbook part: the sheets in order, and each one's autofilter range as Excel's hidden name. */
export function workbook(sheets: readonly SheetPart[]): string {
  const list = sheets.map(
    (s, i) => `<sheet name="${escapeAttr(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`,
  );
  const names = sheets.map((s, i) => {
    const [from, to] = filterRange(s.columns, s.rows).split(':');
    const abs = (ref: string) => ref.replace(/^([A-Z]+)(\d+)$/, '$$$1$$$2');
    const sheet = `'${s.name.replace(/'/g, "''")}'`;
    return `<definedName name="_xlnm._FilterDatabase" localSheetId="${i}" hidden="1">${escapeText(
      `${sheet}!${abs(from!)}:${abs(to!)}`,
    )}</definedName>`;
  });
  return (
    `${HEAD}<workbook xmlns="${MAIN}" xmlns:r="${REL}"><bookViews><workbookView/></bookViews>` +
    `<sheets>${list.join('')}</sheets>${names.length ? `<definedNames>${names.join('')}</definedNames>` : ''}` +
    '</workbook>'
  );
}

/** Default, bold header, integer with thousands separators, and a date-time (UTC serial). */
export const styles = (): string =>
  `${HEAD}<styleSheet xmlns="${MAIN}">` +
  '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>' +
  '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>' +
  '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>' +
  '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>' +
  '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>' +
  '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>' +
  '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>' +
  '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>' +
  '<xf numFmtId="3" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>' +
  '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>' +
  '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>' +
  '</styleSheet>';

export const coreProps = (creator: string, created: Date): string =>
  `${HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
  'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
  'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
  `<dc:creator>${escapeText(creator)}</dc:creator>` +
  `<dcterms:created xsi:type="dcterms:W3CDTF">${created.toISOString().replace(/\.\d+Z$/, 'Z')}</dcterms:created>` +
  '</cp:coreProperties>';

export const appProps = (application: string): string =>
  `${HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">` +
  `<Application>${escapeText(application)}</Application></Properties>`;
