// API conventions: import everything route handlers need from here.
export { z, errorSchema, buildOpenApiDocument, listOperations, type RouteAuth } from './openapi';
export { route, json, noContent, errorResponse, clientIp, isSecureRequest, MAX_BODY_BYTES } from './route';
export type { RouteContext, RouteDefinition, RouteHandler, ResponseSpec } from './route';
export { paginationQuery, listEnvelope, page, MAX_LIMIT, type Page, type Pagination } from './pagination';
export { REQUEST_ID_HEADER } from './request-id';
export { otherMethods } from './method-not-allowed';
