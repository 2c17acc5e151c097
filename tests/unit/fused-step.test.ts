import '@tensorflow/tfjs-backend-cpu';
import { describeFusedStep } from '../support/fused-cases';

describeFusedStep('cpu');
