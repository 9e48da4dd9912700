/**
 * CloudBase answers errors with HTTP 200 and `{code, message, requestId}`; wx-server-sdk maps the `code`
 * string to its numeric errCode (e.g. DATABASE_COLLECTION_NOT_EXIST -> -502005).
 */
export type CloudBaseErrorCode =
  | 'INVALID_PARAM'
  | 'SYS_ERR'
  | 'DATABASE_REQUEST_FAILED'
  | 'DATABASE_INVALID_OPERRATOR'
  | 'DATABASE_PERMISSION_DENIED'
  | 'DATABASE_COLLECTION_NOT_EXIST'
  | 'DATABASE_COLLECTION_ALREADY_EXIST'
  | 'DATABASE_TRANSACTION_CONFLICT'
  | 'DATABASE_TRANSACTION_FAIL'
  | 'FUNCTIONS_EXECUTE_FAIL'
  | 'FUNCTIONS_REQUEST_FAIL'
  | 'OPENAPI_PERMISSION_DENIED'
  | 'ACTION_NOT_SUPPORTED';

export class CloudBaseError extends Error {
  constructor(
    readonly code: CloudBaseErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const invalidParam = (message: string) => new CloudBaseError('INVALID_PARAM', message);

/**
 * Thrown by a handler whose caller must get no answer at all: the server destroys the connection, as a
 * provider that timed out or an instance that died would leave it (fault injection).
 */
export class ConnectionDropped extends Error {}
