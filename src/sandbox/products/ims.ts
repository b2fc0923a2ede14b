// IMS: the RAM OIDC identity providers (read by RRSA setups, created by hand for other IdPs), over ../state/ims.ts.
import { ApiError, type ProductModule } from '../api.js';
import { missingParameter } from '../spec.js';
import { createOidcProvider, imsState, type OidcProviderRecord } from '../state/ims.js';

const view = (p: OidcProviderRecord) => ({
  OIDCProviderName: p.name,
  Arn: p.arn,
  IssuerUrl: p.issuerUrl,
  ClientIds: p.clientIds.join(','),
  Fingerprints: p.fingerprints.join(','),
  Description: p.description,
  IssuanceLimitTime: p.issuanceLimitTime,
  CreateDate: p.createdAt,
  UpdateDate: p.updatedAt ?? p.createdAt,
  GmtCreate: p.createdAt,
  GmtModified: p.updatedAt ?? p.createdAt,
});

const required = (p: Record<string, any>, name: string): string => {
  if (typeof p[name] !== 'string' || p[name] === '') throw missingParameter(name);
  return p[name];
};

export const ims: ProductModule = {
  product: 'ims',
  rpc: {
    GetOIDCProvider: ({ world, caller }, p) => {
      const provider = imsState(world, caller.accountId).oidcProviders[required(p, 'OIDCProviderName')];
      if (!provider) throw new ApiError('EntityNotExist.OIDCProvider', 'The OIDC provider does not exist.', 404);
      return { OIDCProvider: view(provider) };
    },

    ListOIDCProviders: ({ world, caller }, p) => {
      const max = p.MaxItems ?? 100;
      if (!Number.isInteger(max) || max < 1 || max > 100) throw new ApiError('InvalidParameter.MaxItems', 'The parameter - "MaxItems" MUST be in the range of 1 and 100.', 400);
      const all = Object.values(imsState(world, caller.accountId).oidcProviders);
      const start = p.Marker ? Number(Buffer.from(String(p.Marker), 'base64url').toString('utf8')) : 0;
      if (!Number.isInteger(start) || start < 0) throw new ApiError('InvalidParameter.Marker', 'The parameter - "Marker" is invalid.', 400);
      const page = all.slice(start, start + max);
      const truncated = start + max < all.length;
      return {
        OIDCProviders: { OIDCProvider: page.map(view) },
        IsTruncated: truncated,
        ...(truncated ? { Marker: Buffer.from(String(start + max)).toString('base64url') } : {}),
      };
    },

    CreateOIDCProvider: ({ world, caller }, p) => {
      const provider = createOidcProvider(world, caller.accountId, {
        name: required(p, 'OIDCProviderName'),
        issuerUrl: required(p, 'IssuerUrl'),
        clientIds: p.ClientIds,
        fingerprints: p.Fingerprints,
        description: p.Description,
        issuanceLimitTime: p.IssuanceLimitTime,
      });
      return { OIDCProvider: view(provider) };
    },
  },
};
