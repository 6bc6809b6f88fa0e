// Source config and credential of a vCenter source (DESIGN §6/§7). The API validates what admins enter with
// these, the worker passes them to the plugin (credential as `source.credential`), the plugin re-validates.
import { z } from 'zod';

/** SHA-256 certificate thumbprint: 64 hex digits, colons/spaces allowed ("AB:CD:..." as vSphere shows it). */
const thumbprintSchema = z
  .string()
  .trim()
  .refine((t) => /^[0-9a-fA-F]{64}$/.test(t.replace(/[:\s]/g, '')), {
    message: 'must be a SHA-256 thumbprint: 64 hex digits, colons allowed',
  });

export const vcenterSourceConfigSchema = z
  .object({
    /** https://vc.example (the SOAP API is at /sdk; a URL that already ends in /sdk is used as is). */
    endpoint: z
      .string()
      .trim()
      .url()
      // zod runs refinements even after .url() failed: a string the URL parser rejects must not throw (500).
      .refine((u) => URL.canParse(u) && new URL(u).protocol === 'https:', {
        message: 'endpoint must be an https:// URL',
      })
      // A password in the URL would be stored, listed and audited in the clear: it belongs in a credential.
      .refine((u) => !URL.canParse(u) || (!new URL(u).username && !new URL(u).password), {
        message: 'endpoint must not contain a user name or password (put them in the credential)',
      }),
    /** PEM bundle of the CA(s) that signed the vCenter certificate. */
    ca_pem: z
      .string()
      .includes('-----BEGIN CERTIFICATE-----', { message: 'must contain a PEM certificate' })
      .optional(),
    /** Trust exactly the certificate with this SHA-256 thumbprint. */
    thumbprint_sha256: thumbprintSchema.optional(),
    /** Skip certificate verification (explicit opt-out; not recommended). */
    insecure: z.boolean().optional(),
    /** Inactivity timeout per HTTP request, ms (default 120000). */
    request_timeout_ms: z.number().int().min(100).max(3_600_000).optional(),
  })
  .strict();
export type VcenterSourceConfig = z.infer<typeof vcenterSourceConfigSchema>;

export const vcenterCredentialSchema = z
  .object({
    username: z.string().min(1),
    password: z.string().min(1),
  })
  .strict();
export type VcenterCredential = z.infer<typeof vcenterCredentialSchema>;
