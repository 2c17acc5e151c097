import '@tensorflow/tfjs-backend-cpu';
import { describeDescentKernel } from '../support/descent-cases';

describeDescentKernel('cpu');
