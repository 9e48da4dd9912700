import { Reader, Writer } from 'protobufjs/minimal';

/**
 * The protobuf envelope of `wx.openApi` (wx-server-sdk's `src/protobuf/openapi.js`):
 *   CommApiData     {1: apiType int32 (0 = OPEN_API), 2: openapiData OpenApiData, 6: appid string}
 *   OpenApiData     {1: repeated KeyValuePair pairs}
 *   KeyValuePair    {1: key string, 2: value bytes, 3: contenttype string, 4: filename string}
 *   CommOpenApiResp {1: respData bytes, 2: contentType string, 3: errorCode int32, 4: httpCode uint32}
 * A pair's value is the parameter as JSON, or raw bytes when it carries a content type (a media upload).
 */
export interface OpenApiRequest {
  apiType: number;
  appid: string;
  /** the call's parameters by their snake_case names */
  params: Record<string, unknown>;
}

/** A media parameter (e.g. `media: {contentType, value: Buffer}`), as the SDK uploads it. */
interface MediaParam {
  contentType: string;
  filename: string;
  value: Buffer;
}

export const OPEN_API = 0;

function decodePair(reader: Reader, end: number): [string, unknown] {
  let key = '';
  let value: Uint8Array = new Uint8Array();
  let contentType = '';
  let filename = '';
  while (reader.pos < end) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1: key = reader.string(); break;
      case 2: value = reader.bytes(); break;
      case 3: contentType = reader.string(); break;
      case 4: filename = reader.string(); break;
      default: reader.skipType(tag & 7);
    }
  }
  const bytes = Buffer.from(value);
  if (contentType) return [key, { contentType, filename, value: bytes } satisfies MediaParam];
  try {
    return [key, JSON.parse(bytes.toString('utf8')) as unknown];
  } catch {
    throw new Error(`parameter ${key} is not JSON`);
  }
}

/** Decodes `requestData`; throws on bytes that are not a CommApiData. */
export function decodeRequest(data: Buffer): OpenApiRequest {
  const reader = Reader.create(data);
  const request: OpenApiRequest = { apiType: OPEN_API, appid: '', params: {} };
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    switch (tag >>> 3) {
      case 1: request.apiType = reader.int32(); break;
      case 2: {
        const end = reader.uint32() + reader.pos;
        while (reader.pos < end) {
          const pairTag = reader.uint32();
          if (pairTag >>> 3 !== 1) {
            reader.skipType(pairTag & 7);
            continue;
          }
          const [key, value] = decodePair(reader, reader.uint32() + reader.pos);
          request.params[key] = value;
        }
        break;
      }
      case 6: request.appid = reader.string(); break;
      default: reader.skipType(tag & 7);
    }
  }
  return request;
}

export interface OpenApiResponse {
  respData?: Buffer;
  contentType?: string;
  /** a platform error (e.g. -604101, no permission); 0 when WeChat answered, even with an errcode */
  errorCode?: number;
  httpCode?: number;
}

export function encodeResponse(response: OpenApiResponse): Buffer {
  const writer = Writer.create();
  if (response.respData) writer.uint32(10).bytes(response.respData);
  if (response.contentType) writer.uint32(18).string(response.contentType);
  if (response.errorCode) writer.uint32(24).int32(response.errorCode);
  if (response.httpCode) writer.uint32(32).uint32(response.httpCode);
  return Buffer.from(writer.finish());
}
