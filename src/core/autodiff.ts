// tfjs-core ships the gradient of each kernel separately from the kernels; the umbrella
// @tensorflow/tfjs package registers them, the modular packages do not. Every module that
// differentiates (training, the landscape lab) imports this file once.
import '@tensorflow/tfjs-core/dist/register_all_gradients';
