import { startSshd } from '../sources/sshd';
import { describeEligibilityEndToEnd } from './eligibility-end-to-end';

describeEligibilityEndToEnd('SFTP', () => startSshd());
