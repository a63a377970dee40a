import { startSmbd } from '../sources/smbd';
import { describeEligibilityEndToEnd } from './eligibility-end-to-end';

describeEligibilityEndToEnd('SMB (hardened Samba: SMB3, signing and encryption required)', () => startSmbd('hardened'));
