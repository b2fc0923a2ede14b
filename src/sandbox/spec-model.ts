// The shape of api-spec/<product>.json (written by scripts/build-api-spec.mjs), the error the sandbox
// raises when a request breaks the spec, and the error documents the real gateways answer with.

/** A compact JSON-schema node, as build-api-spec writes it for parameters and responses. */
export interface SchemaNode {
  type: string;
  format?: string;
  enum?: unknown[];
  items?: SchemaNode;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode;
  maxItems?: number;
  /** Request side only: the property must be present. */
  required?: boolean;
  /** The source referenced a schema it does not define (cr RepoConfiguration, cs Hugepage). */
  unresolvedRef?: string;
  /** A schema that contains itself, cut off at the second visit. */
  recursiveRef?: string;
}

/** One request parameter. `in`: query / formData (RPC), path / query / body (ROA). */
export interface ParamSpec extends SchemaNode {
  name: string;
  in: string;
  /** How the SDKs serialise it: repeatList / flat (`Name.1.Key=v`), json (one JSON string), simple (commas). */
  style?: string;
  required: boolean;
}

export interface ErrorSpec {
  httpStatus: number | string;
  code: string;
  message: string;
}

export interface ApiSpec {
  /** Filled in by loadSpecs: the API's name and its product code (as in the file, e.g. `Ecs`, `cr`). */
  name: string;
  product: string;
  methods: string[];
  /** ROA only: the path template, e.g. `/clusters/{ClusterId}`. */
  path?: string | null;
  operationType: string | null;
  deprecated?: boolean;
  params: ParamSpec[];
  response: SchemaNode | null;
  errors: ErrorSpec[];
}

export interface ProductSpec {
  /** The product code as the metadata spells it (`Cbn`, `cr`, `CS`, ...). */
  product: string;
  /** The file's name without `.json` (`cbn`, `cr`, `cs`, ...). */
  key: string;
  version: string;
  style: 'RPC' | 'ROA';
  globalEndpoint: string | null;
  endpoints: Record<string, string>;
  apis: Record<string, ApiSpec>;
}

/** A request the real cloud would refuse: `code` and `status` are what the gateway or service answers. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly code: string,
    readonly status: number,
    message: string,
    /** The parameter at fault, as named on the wire (`ZoneMappings.1.VSwitchId`), when there is one. */
    readonly param?: string,
  ) {
    super(message);
  }
}

// The gateway's own errors (POP), with the codes, texts and statuses real responses show:
// Missing<Name> "<Name> is mandatory for this action." (a cas response quoted in certimate-go/certimate#24),
// InvalidParameter 'The specified parameter "X" is not valid.' (PopGw, aliyun/alibaba-cloud-sdk-go#405, #419),
// InvalidAction.NotFound 404 (aliyun/aliyun-cli#415, aliyun/openapi-sdk-php-client#230),
// InvalidVersion 400 (aliyun/aliyun-openapi-java-sdk#23; "code: 400, Specified parameter Version is not valid.").

/** A required parameter absent: `Missing<Name>` / `<Name> is mandatory for this action.` (400). */
export function missingParameter(name: string): SpecError {
  return new SpecError(`Missing${name}`, 400, `${name} is mandatory for this action.`, name);
}

/** A value the gateway cannot accept for the parameter's type or enum (400). */
export function invalidParameter(name: string): SpecError {
  return new SpecError('InvalidParameter', 400, `The specified parameter "${name}" is not valid.`, name);
}

/** No such action in the product (also: no ROA path/method match). */
export function actionNotFound(): SpecError {
  return new SpecError('InvalidAction.NotFound', 404, 'Specified api is not found, please check your url and method.');
}

/** A version no product behind the endpoint has. */
export function invalidVersion(): SpecError {
  return new SpecError('InvalidVersion', 400, 'Specified parameter Version is not valid.');
}

export interface ErrorBodyOptions {
  /** RPC products answer `{RequestId, HostId, Code, Message, Recommend}`; CS (ROA) `{code, message, requestId, status}`. */
  style?: 'RPC' | 'ROA';
  /** Product code for the Recommend link (`Ecs`, `cr`, ...). */
  product?: string;
  /** The host the request went to, e.g. `ecs.cn-hangzhou.aliyuncs.com`. */
  hostId?: string;
  /** The HTTP status, repeated in ROA bodies. */
  status?: number;
}

/**
 * The JSON error document the real endpoint answers with. openapi-core reads `Code || code`,
 * `Message || message` and `RequestId || requestId` from it, so the SDK's err.code / err.message match.
 */
export function errorBody(code: string, message: string, requestId: string, options: ErrorBodyOptions = {}): Record<string, unknown> {
  if (options.style === 'ROA') {
    return { code, message, requestId, ...(options.status !== undefined ? { status: options.status } : {}) };
  }
  const product = options.product ?? 'openapi';
  const query = new URLSearchParams({ q: code, product, requestId });
  return {
    RequestId: requestId,
    HostId: options.hostId ?? `${product.toLowerCase()}.aliyuncs.com`,
    Code: code,
    Message: message,
    Recommend: `https://api.aliyun.com/troubleshoot?${query.toString()}`,
  };
}

/** The error body for a SpecError, in the style of the product that raised it. */
export function specErrorBody(error: SpecError, requestId: string, product: Pick<ProductSpec, 'product' | 'style'>, hostId?: string): Record<string, unknown> {
  return errorBody(error.code, error.message, requestId, { style: product.style, product: product.product, hostId, status: error.status });
}
