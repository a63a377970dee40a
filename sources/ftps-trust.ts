import { isIP } from 'node:net';
import type { ConnectionOptions, TLSSocket } from 'node:tls';
import type { ConnectionSettings } from '../domain/connection';
import { connectionError } from '../domain/connection-errors';
import { DATA_CERT_MISMATCH } from './ftps-errors';

/**
 * TLS options for the control connection to `host` at `address`. Verification is not left to Node: it would
 * reject a pinned self-signed certificate before we could look at it. `checkServerCertificate`
 * decides instead, before any credential is sent. Node still computes `authorized`
 * (chain against the system CAs, then the host name: `servername` when the host is a name) for that decision.
 */
export function controlTlsOptions(host: string, address = host): ConnectionOptions {
  return { host: address, servername: isIP(host) ? undefined : host, rejectUnauthorized: false };
}

/** Compares certificate fingerprints case-insensitively, ignoring colons and spaces. */
export function sameCertificateFingerprint(a: string, b: string): boolean {
  const normalize = (fingerprint: string) => fingerprint.replace(/[:\s]/g, '').toUpperCase();
  return normalize(a) === normalize(b);
}

/**
 * Decides whether the server's certificate is trusted and returns its fingerprint
 * (Node's `fingerprint256`). A pin, when set, must match (even for a CA-signed certificate:
 * the admin asked for exactly this one). Without a pin the certificate must verify against
 * the system CAs and name the host.
 */
export function checkServerCertificate(socket: TLSSocket, settings: ConnectionSettings): string {
  const fingerprint = socket.getPeerCertificate().fingerprint256;
  if (!fingerprint) {
    throw connectionError('PROTOCOL_ERROR', settings, { detail: 'the server presented no TLS certificate' });
  }
  const pin = settings.trust?.sha256;
  if (pin) {
    if (sameCertificateFingerprint(pin, fingerprint)) return fingerprint;
    throw connectionError('TLS_UNTRUSTED', settings, { detail: 'its fingerprint does not match the pinned fingerprint', fingerprint });
  }
  if (socket.authorized) return fingerprint;
  const reason = String(socket.authorizationError ?? 'not verified');
  throw connectionError('TLS_UNTRUSTED', settings, { detail: `not verifiable against the system CAs: ${reason}; nothing is pinned`, fingerprint });
}

/**
 * Data connections use the control connection's TLS options (no verification by Node), so
 * each one must either resume the control connection's TLS session or present the very
 * certificate that was trusted there. Otherwise it is destroyed before any data flows.
 */
export function guardDataConnection(socket: TLSSocket, trustedFingerprint: string): void {
  const verify = () => {
    if (socket.isSessionReused()) return;
    const seen = socket.getPeerCertificate().fingerprint256;
    if (seen && sameCertificateFingerprint(seen, trustedFingerprint)) return;
    const error = Object.assign(new Error(`the data connection presented a different certificate (${seen ?? 'none'}) from the control connection's`), {
      code: DATA_CERT_MISMATCH,
    });
    socket.destroy(error);
  };
  // Registered right after the TCP connect, long before the handshake can finish.
  // (getCipher() cannot tell: it reports the offered session's cipher before the handshake.)
  socket.once('secureConnect', verify);
}
