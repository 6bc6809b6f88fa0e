// Every API route module, so /api/openapi.json documents all of them (route() records each operation when
// its module loads). test/openapi-routes.test.ts fails when a route.ts under src/app/api is missing here.
// Keys are the folder under src/app/api.
import * as authLogin from './auth/login/route';
import * as authLogout from './auth/logout/route';
import * as authMe from './auth/me/route';
import * as authMePreferences from './auth/me/preferences/route';
import * as authPassword from './auth/password/route';
import * as health from './health/route';
import * as users from './users/route';
// API resources (issue 5)
import * as assets from './assets/route';
import * as assetsId from './assets/[id]/route';
import * as assetsRelations from './assets/[id]/relations/route';
import * as assetsHistory from './assets/[id]/history/route';
import * as assetsRecords from './assets/[id]/records/route';
import * as assetsRecordRaw from './assets/[id]/records/[recordId]/raw/route';
import * as auditEvents from './audit-events/route';
import * as credentials from './credentials/route';
import * as credentialsId from './credentials/[id]/route';
import * as exportsAssets from './exports/assets/route';
import * as exportsAssetsXlsx from './exports/assets.xlsx/route';
import * as exportsAuditEventsCsv from './exports/audit-events.csv/route';
import * as scheduleGroups from './schedule-groups/route';
import * as scheduleGroupsId from './schedule-groups/[id]/route';
import * as sources from './sources/route';
import * as sourcesId from './sources/[id]/route';
import * as sourcesTestConnection from './sources/test-connection/route';
import * as tokens from './tokens/route';
import * as tokensId from './tokens/[id]/route';
import * as usersId from './users/[id]/route';
import * as usersIdPassword from './users/[id]/password/route';
// Run pipeline (issue 4)
import * as runs from './runs/route';
import * as runsId from './runs/[id]/route';
import * as sourcesIdRuns from './sources/[id]/runs/route';
import * as scheduleGroupsIdRuns from './schedule-groups/[id]/runs/route';
// Run cancel (issue 15 item 5)
import * as runsIdCancel from './runs/[id]/cancel/route';
// Ledger (issue 13)
import * as ledgerFields from './ledger-fields/route';
import * as ledgerFieldsKey from './ledger-fields/[key]/route';
import * as assetsLedger from './assets/[id]/ledger/route';
import * as assetsLedgerBulk from './assets/ledger/bulk/route';
import * as importsLedger from './imports/ledger/route';
import * as importsLedgerReport from './imports/ledger/[id]/report/route';

// Identity across sources (issue 16)
import * as duplicateCandidates from './duplicate-candidates/route';
import * as duplicateCandidatesId from './duplicate-candidates/[id]/route';
import * as duplicateCandidatesIdIgnore from './duplicate-candidates/[id]/ignore/route';
import * as assetsIdMerge from './assets/[id]/merge/route';
import * as assetsIdSplit from './assets/[id]/split/route';

export const routeModules: Record<string, Record<string, unknown>> = {
  'v1/duplicate-candidates': duplicateCandidates,
  'v1/duplicate-candidates/[id]': duplicateCandidatesId,
  'v1/duplicate-candidates/[id]/ignore': duplicateCandidatesIdIgnore,
  'v1/assets/[id]/merge': assetsIdMerge,
  'v1/assets/[id]/split': assetsIdSplit,
  'v1/auth/login': authLogin,
  'v1/auth/logout': authLogout,
  'v1/auth/me': authMe,
  'v1/auth/me/preferences': authMePreferences,
  'v1/auth/password': authPassword,
  'v1/health': health,
  'v1/users': users,
  'v1/assets': assets,
  'v1/assets/[id]': assetsId,
  'v1/assets/[id]/relations': assetsRelations,
  'v1/assets/[id]/history': assetsHistory,
  'v1/assets/[id]/records': assetsRecords,
  'v1/assets/[id]/records/[recordId]/raw': assetsRecordRaw,
  'v1/audit-events': auditEvents,
  'v1/credentials': credentials,
  'v1/credentials/[id]': credentialsId,
  'v1/exports/assets': exportsAssets,
  'v1/exports/assets.xlsx': exportsAssetsXlsx,
  'v1/exports/audit-events.csv': exportsAuditEventsCsv,
  'v1/schedule-groups': scheduleGroups,
  'v1/schedule-groups/[id]': scheduleGroupsId,
  'v1/sources': sources,
  'v1/sources/[id]': sourcesId,
  'v1/sources/test-connection': sourcesTestConnection,
  'v1/tokens': tokens,
  'v1/tokens/[id]': tokensId,
  'v1/users/[id]': usersId,
  'v1/users/[id]/password': usersIdPassword,
  'v1/runs': runs,
  'v1/runs/[id]': runsId,
  'v1/sources/[id]/runs': sourcesIdRuns,
  'v1/schedule-groups/[id]/runs': scheduleGroupsIdRuns,
  'v1/runs/[id]/cancel': runsIdCancel,
  'v1/ledger-fields': ledgerFields,
  'v1/ledger-fields/[key]': ledgerFieldsKey,
  'v1/assets/[id]/ledger': assetsLedger,
  'v1/assets/ledger/bulk': assetsLedgerBulk,
  'v1/imports/ledger': importsLedger,
  'v1/imports/ledger/[id]/report': importsLedgerReport,
};
