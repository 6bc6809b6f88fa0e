import pkg from '../../../package.json';

/** The application version (package.json), reported by /api/v1/health and the OpenAPI document. */
export const APP_VERSION: string = pkg.version;
