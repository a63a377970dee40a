import { startVsftpd } from '../sources/vsftpd';
import { describeEligibilityEndToEnd } from './eligibility-end-to-end';

describeEligibilityEndToEnd('FTPS (implicit TLS, self-signed certificate pinned)', () => startVsftpd({ mode: 'implicit' }));
