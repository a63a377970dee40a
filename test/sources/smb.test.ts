import { describeFileSourceConformance } from './conformance';
import { startSmbd } from './smbd';

describeFileSourceConformance('SMB, Samba with Debian defaults', () => startSmbd({ hardened: false }), null);
describeFileSourceConformance('SMB, Samba hardened (signing, SMB3 only, encryption)', () => startSmbd({ hardened: true }), null);
