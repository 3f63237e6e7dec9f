using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// Writes the C# of one network. The output is meant to be read: every layer's forward and backward
    /// is one call into SimdDescent.Layers with the shapes in a comment above it.
    /// </summary>
    internal sealed partial class Emitter : EmitterBase
    {
        private readonly NetworkPlan plan;
        private readonly NetworkModel model;

        private Emitter(NetworkModel model)
            : base(model.Element == ElementKind.Double)
        {
            this.model = model;
            plan = new NetworkPlan(model);
        }

        public static string Emit(NetworkModel model) => new Emitter(model).Write();

        private string OutputConstant => plan.Layers[plan.Layers.Count - 1].Output.Constant;

        private string OutputGradientConstant => plan.Layers[plan.Layers.Count - 1].OutputGradient.Constant;

        private bool HasDropout => model.Layers.Any(l => l.Kind == LayerKind.Dropout) || HasAdapterDropout;

        private bool UsesLabels => model.Loss == LossKind.SoftmaxCrossEntropy;

        private string Write()
        {
            WriteFileHeader(model.Namespace, Summary());
            using (W.Block("partial class " + model.ClassName + " : INetwork<" + T + ">" + StatisticsInterface + AdaptedInterface(model.Lora)))
            {
                WriteLayout();
                if (HasAdapters)
                {
                    WriteAdapterLayout();
                }

                WriteNetworkMembers();
                WriteInitialize();
                WriteParameterViews(plan.Tensors);
                if (HasAdapters)
                {
                    WriteAdapterViewsAndMerge();
                }

                WriteWorkspace();
            }

            return W.ToString();
        }

        private string Summary()
        {
            var parts = new List<string> { Text(model.Inputs) };
            foreach (var layer in model.Layers)
            {
                parts.Add(Describe(layer));
            }

            parts.Add(LossName(model.Loss));
            return "Generated network (" + T + ", max batch " + Text(model.MaxBatch) + "): " + string.Join(" → ", parts) + ".";
        }

        private void WriteLayout()
        {
            W.Line("// Parameter arena (the gradient arena has the same layout). Offsets in elements;");
            W.Line("// dense weights are [inputs, units] row-major; the PyTorch name is the nn.Sequential one.");
            foreach (var tensor in plan.Tensors)
            {
                W.Line("//   " + Pad(tensor.Name, 16) + Pad(tensor.ShapeText, 12) + "at " + Pad(Text(tensor.Offset), 8) + "PyTorch " + tensor.PyTorchName);
            }

            W.Line("private const int ParameterLength = " + Text(plan.ParameterCount) + ";");
            W.Line("private const int ArenaLength = " + Text(plan.ArenaLength) + "; // padded to " + Text(NetworkPlan.Alignment) + " elements");
            W.Line();
            W.Line("private static readonly IReadOnlyList<TensorInfo> TensorLayout = new TensorInfo[]");
            W.Line("{");
            foreach (var tensor in plan.Tensors)
            {
                W.Line("    new(\"" + tensor.Name + "\", " + Text(tensor.Offset) + ", ImmutableArray.Create(" + string.Join(", ", tensor.Shape) + ")) { PyTorchName = \"" + tensor.PyTorchName + "\" },");
            }

            W.Line("};");
            W.Line();
            if (HasAdapters)
            {
                W.Line("private readonly " + T + "[] parameters = new " + T + "[ArenaLength];");
                W.Line("private int workspaceCount;");
                W.Line();
                WriteStatistics();
                return;
            }

            W.Line("// Layers in forward order (the loss excluded), with the tensors each reads: what exporters walk.");
            W.Line("private static readonly IReadOnlyList<LayerInfo> LayerLayout = new LayerInfo[]");
            W.Line("{");
            var tensorIndex = 0;
            foreach (var layer in plan.Layers)
            {
                W.Line("    " + LayerInfo(layer, ref tensorIndex) + ",");
            }

            W.Line("};");
            W.Line();
            W.Line("private readonly " + T + "[] parameters = new " + T + "[ArenaLength];");
            W.Line("private int workspaceCount;");
            W.Line();
            WriteStatistics();
        }

        private void WriteNetworkMembers()
        {
            var name = model.ClassName;
            if (HasAdapters)
            {
                WriteAdapterConstructors(Lora, name, model.Seed, plan.Adapters, "this, 0");
            }
            else
            {
                WriteConstructor(name, "network", model.Seed, "this, 0");
            }

            Doc("Features per input row.");
            W.Line("public int InputWidth => " + Text(model.Inputs) + ";");
            W.Line();
            Doc("Outputs (logits) per row.");
            W.Line("public int OutputWidth => " + Text(model.OutputWidth) + ";");
            W.Line();
            Doc("The largest batch a workspace accepts.");
            W.Line("public int MaxBatch => " + Text(model.MaxBatch) + ";");
            W.Line();
            Doc("What the loss compares the outputs with.");
            W.Line("public TargetKind TargetKind => TargetKind." + (UsesLabels ? "ClassLabels" : "Values") + ";");
            W.Line();
            if (HasAdapters)
            {
                WriteAdapterMembers();
                Doc("None: Parameters holds the adapters, so exporters that walk layers over it would misread them; merge and export BaseParameters instead.");
                W.Line("public IReadOnlyList<LayerInfo> Layers => Array.Empty<LayerInfo>();");
            }
            else
            {
                WriteArenaMembers("in layer order");
                Doc("The layers in forward order, each with the tensors it reads; the loss is not included.");
                W.Line("public IReadOnlyList<LayerInfo> Layers => LayerLayout;");
            }

            W.Line();
            Doc("The workspace behind this network's own Forward, Backward and Predict.");
            W.Line("public Workspace DefaultWorkspace { get; }");
            W.Line();
            W.Line("INetworkWorkspace<" + T + "> INetwork<" + T + ">.Workspace => DefaultWorkspace;");
            W.Line();
            Doc("The default workspace's gradients.");
            W.Line("public Span<" + T + "> Gradients => DefaultWorkspace.Gradients;");
            W.Line();
            Doc("Training mode (dropout active) of the default workspace.");
            W.Line("public bool IsTraining { get => DefaultWorkspace.IsTraining; set => DefaultWorkspace.IsTraining = value; }");
            W.Line();
            Doc("Creates another workspace over these parameters, e.g. one per thread.");
            W.Line("public Workspace CreateWorkspace() => new(this, (ulong)Interlocked.Increment(ref workspaceCount));");
            W.Line();
            W.Line("INetworkWorkspace<" + T + "> INetwork<" + T + ">.CreateWorkspace() => CreateWorkspace();");
            W.Line();
            var target = UsesLabels ? "ReadOnlySpan<int> labels" : "ReadOnlySpan<" + T + "> targets";
            Doc("Runs the default workspace forward and returns the mean loss.");
            W.Line("public " + T + " Forward(ReadOnlySpan<" + T + "> inputs, " + target + ", int batch) => DefaultWorkspace.Forward(inputs, " + (UsesLabels ? "labels" : "targets") + ", batch);");
            W.Line();
            Doc("Fills the default workspace's gradients for the last Forward.");
            W.Line("public void Backward() => DefaultWorkspace.Backward();");
            W.Line();
            Doc("Inference on the default workspace: writes the logits of <paramref name=\"batch\"/> rows.");
            W.Line("public void Predict(ReadOnlySpan<" + T + "> inputs, Span<" + T + "> outputs, int batch) => DefaultWorkspace.Predict(inputs, outputs, batch);");
            W.Line();
        }

        private void WriteInitialize()
        {
            Doc("Re-initializes every parameter deterministically from <paramref name=\"seed\"/>.");
            using (W.Block("public void Initialize(ulong seed)"))
            {
                W.Line("var random = new SplitMix64(seed);");
                foreach (var layer in plan.Layers)
                {
                    if (layer.Tensors.Count == 0)
                    {
                        continue;
                    }

                    var l = layer.Layer;
                    var weight = "parameters.AsSpan(" + Text(layer.Weight.Offset) + ", " + Text(layer.Weight.Length) + ")";
                    var (fanIn, fanOut) = Fans(l);
                    if (l.Kind is LayerKind.LayerNorm or LayerKind.BatchNorm2D)
                    {
                        W.Line("// layer " + Text(layer.Index) + ": " + l.Kind + " scale 1, shift 0");
                        W.Line(weight + ".Fill(" + One() + ");");
                    }
                    else
                    {
                        switch (l.Initializer)
                        {
                            case InitializerKind.He:
                                W.Line("// layer " + Text(layer.Index) + ": He uniform, fan-in " + Text(fanIn) + "; bias 0");
                                W.Line("Initialization.HeUniform(" + weight + ", fanIn: " + Text(fanIn) + ", ref random);");
                                break;
                            case InitializerKind.Glorot:
                                W.Line("// layer " + Text(layer.Index) + ": Glorot uniform, fan-in " + Text(fanIn) + ", fan-out " + Text(fanOut) + "; bias 0");
                                W.Line("Initialization.GlorotUniform(" + weight + ", fanIn: " + Text(fanIn) + ", fanOut: " + Text(fanOut) + ", ref random);");
                                break;
                            default:
                                W.Line("// layer " + Text(layer.Index) + ": zeros");
                                W.Line(weight + ".Clear();");
                                break;
                        }
                    }

                    if (layer.Bias is { } bias)
                    {
                        W.Line("parameters.AsSpan(" + Text(bias.Offset) + ", " + Text(bias.Length) + ").Clear();");
                    }
                }

                WriteStatisticsInitialization();

                if (HasAdapters)
                {
                    WriteAdapterInitialize();
                }
            }

            W.Line();
        }

        private void WriteWorkspace()
        {
            var name = model.ClassName;
            Doc("Per-thread state of a <see cref=\"" + name + "\"/>: activations, backward scratch and a gradient arena for up to " + Text(model.MaxBatch) + " rows. Workspaces share the network's parameters read-only.");
            using (W.Block("public sealed class Workspace : INetworkWorkspace<" + T + ">"))
            {
                WriteActivationLayout(plan.Buffers, plan.ActivationLength, "batch", "the batch", 22, 16);
                W.Line();
                WriteWorkspaceArrays(name, HasAdapters);

                if (HasDropout)
                {
                    W.Line("private readonly ulong stream; // dropout masks differ per workspace ...");
                    W.Line("private ulong step;            // ... and per training forward pass");
                }

                if (HasModes)
                {
                    W.Line("private bool forwardWasTraining;");
                }

                W.Line("private int batch;");
                W.Line("private bool hasForward;");
                W.Line("private bool hasInputGradients;");
                W.Line();
                using (W.Block("internal Workspace(" + name + " network, ulong stream)"))
                {
                    W.Line("this.network = network;");
                    if (HasAdapters)
                    {
                        W.Line("gradients = new " + T + "[network.adapters.Length];");
                    }

                    if (HasDropout)
                    {
                        W.Line("this.stream = stream;");
                    }
                }

                W.Line();
                Doc("The network whose parameters this workspace reads.");
                W.Line("public INetwork<" + T + "> Network => network;");
                W.Line();
                Doc("d(mean loss)/dθ from the last Backward, laid out like the parameters.");
                W.Line("public Span<" + T + "> Gradients => gradients.AsSpan(0, " + TrainableLength + ");");
                W.Line();
                Doc("Training mode (dropout active); on by default. Predict always runs in inference mode.");
                W.Line("public bool IsTraining { get; set; } = true;");
                W.Line();
                Doc("Whether Backward also fills InputGradients (off by default: it costs one more GEMM).");
                W.Line("public bool ComputeInputGradients { get; set; }");
                W.Line();
                Doc("d(mean loss)/d(inputs) of the last Forward, batch × InputWidth; empty unless ComputeInputGradients was set for the last Backward.");
                W.Line("public ReadOnlySpan<" + T + "> InputGradients => hasInputGradients ? new(activations, DX, batch * " + Text(model.Inputs) + ") : default;");
                W.Line();
                WriteForwardEntryPoints();
                WritePredict();
                WriteRunLayers();
                WriteBackward();
                W.Line("private Span<" + T + "> Rows(int offset, int rows, int width) => activations.AsSpan(offset, rows * width);");
                W.Line();
                if (HasAdapters)
                {
                    WriteAdapterGradientViews(plan.Adapters, plan.Trained);
                }
                else
                {
                    WriteGradientViews(plan.Tensors);
                }
            }
        }

        private void WriteForwardEntryPoints()
        {
            foreach (var labels in new[] { true, false })
            {
                var target = labels ? "ReadOnlySpan<int> labels" : "ReadOnlySpan<" + T + "> targets";
                Doc("Runs the network on <paramref name=\"batch\"/> rows and returns the mean loss; the loss's gradient is kept for Backward.");
                using (W.Block("public " + T + " Forward(ReadOnlySpan<" + T + "> inputs, " + target + ", int batch)"))
                {
                    if (labels != UsesLabels)
                    {
                        W.Line("throw NetworkArguments.WrongTargets(nameof(" + model.ClassName + "), TargetKind." + (UsesLabels ? "ClassLabels" : "Values") + ");");
                    }
                    else
                    {
                        WriteForwardBody(labels);
                    }
                }

                W.Line();
            }

            W.Line("private const int InputWidthValue = " + Text(model.Inputs) + ";");
            W.Line("private const int MaxBatchValue = " + Text(model.MaxBatch) + ";");
            W.Line();
        }

        private void WriteForwardBody(bool labels)
        {
            var width = Text(model.OutputWidth);
            W.Line("NetworkArguments.CheckInputs(inputs, batch, InputWidthValue, MaxBatchValue);");
            W.Line(labels ? "NetworkArguments.CheckLabels(labels, batch);" : "NetworkArguments.CheckTargets(targets, batch, " + width + ");");
            W.Line("var x = Rows(X, batch, " + Text(model.Inputs) + ");");
            W.Line("inputs.Slice(0, x.Length).CopyTo(x);");
            W.Line("RunLayers(x, batch, IsTraining);");
            W.Line("hasForward = true;");
            W.Line("var logits = Rows(" + OutputConstant + ", batch, " + width + ");");
            W.Line("var dLogits = Rows(" + OutputGradientConstant + ", batch, " + width + ");");
            switch (model.Loss)
            {
                case LossKind.SoftmaxCrossEntropy:
                    W.Line("// loss: softmax cross-entropy over [batch, " + width + "] logits; d(mean loss)/d(logits) is written in the same pass");
                    W.Line("return Losses.SoftmaxCrossEntropy<" + T + ">(logits, labels.Slice(0, batch), dLogits, batch, " + width + ");");
                    break;
                case LossKind.MeanSquaredError:
                    W.Line("// loss: mean squared error over [batch, " + width + "]; its gradient 2(y − t)/N is written in the same pass");
                    W.Line("return Losses.MeanSquaredError<" + T + ">(logits, targets.Slice(0, logits.Length), dLogits);");
                    break;
                default:
                    W.Line("// loss: binary cross-entropy on logits over [batch, " + width + "]; its gradient (σ(y) − t)/N is written in the same pass");
                    W.Line("return Losses.BinaryCrossEntropyWithLogits<" + T + ">(logits, targets.Slice(0, logits.Length), dLogits);");
                    break;
            }
        }

        private void WritePredict()
        {
            var width = Text(model.OutputWidth);
            Doc("Inference (dropout off): writes the logits of <paramref name=\"batch\"/> rows to <paramref name=\"outputs\"/> (batch × " + width + ").");
            using (W.Block("public void Predict(ReadOnlySpan<" + T + "> inputs, Span<" + T + "> outputs, int batch)"))
            {
                W.Line("NetworkArguments.CheckInputs(inputs, batch, InputWidthValue, MaxBatchValue);");
                W.Line("NetworkArguments.CheckOutputs(outputs, batch, " + width + ");");
                W.Line("hasForward = false;");
                W.Line("RunLayers(inputs.Slice(0, batch * InputWidthValue), batch, training: false);");
                W.Line("Rows(" + OutputConstant + ", batch, " + width + ").CopyTo(outputs);");
            }

            W.Line();
        }

        private void WriteRunLayers()
        {
            using (W.Block("private void RunLayers(ReadOnlySpan<" + T + "> x, int batch, bool training)"))
            {
                W.Line("this.batch = batch;");
                W.Line("hasInputGradients = false;");
                if (HasModes)
                {
                    W.Line("forwardWasTraining = training;");
                }

                if (HasDropout)
                {
                    W.Line("step += training ? 1UL : 0UL;");
                }

                foreach (var layer in plan.Layers)
                {
                    Body(string.Empty);
                    WriteLayerForward(layer);
                }

                FlushBody(plan.Buffers.Where(b => b != plan.Inputs), "batch");
            }

            W.Line();
        }

        private void WriteLayerForward(LayerPlan layer)
        {
            var l = layer.Layer;
            var x = InputOf(layer);
            var y = layer.Output.Local;
            var head = "// layer " + Text(layer.Index) + ": " + Describe(l) + ". ";
            switch (l.Kind)
            {
                case LayerKind.Dense when plan.AdapterOf(layer.Index) is { } adapter:
                    WriteAdaptedDenseForward(layer, adapter, x, layer.Bias is { } adaptedBias ? "network." + adaptedBias.Property : "ReadOnlySpan<" + T + ">.Empty");
                    break;
                case LayerKind.Dense:
                    var bias = layer.Bias is { } b ? "network." + plan.Read(b).Property : "ReadOnlySpan<" + T + ">.Empty";
                    var product = x + " [batch, " + Text(l.Inputs) + "] · W [" + Text(l.Inputs) + ", " + Text(l.Outputs) + "]" + (layer.Bias is null ? "" : " + b");
                    if (Activations.SavesInput(l.Activation))
                    {
                        var z = layer.ExtraBuffer("Z").Local;
                        Body(head + z + " = " + product + "; " + y + " = " + Lower(l.Activation) + "(" + z + ")");
                        Body("// (the pre-activation is kept because " + Lower(l.Activation) + "'s derivative needs its input)");
                        Body(DenseForward(layer, x, bias, z, ActivationKind.None));
                        Body("ActivationLayer.Forward<" + T + ", " + OperatorType(l.Activation) + ">(" + z + ", " + y + ", " + Activations.Forward(l.Activation, T) + ");");
                    }
                    else
                    {
                        var f = l.Activation == ActivationKind.None ? product : Lower(l.Activation) + "(" + product + ")";
                        Body(head + y + " [batch, " + Text(l.Outputs) + "] = " + f + ", one fused GEMM pass");
                        Body(DenseForward(layer, x, bias, y, l.Activation));
                    }

                    break;
                case LayerKind.Activation:
                    Body(head + y + " = " + Lower(l.Activation) + "(" + x + "), [batch, " + Text(l.Outputs) + "]");
                    Body("ActivationLayer.Forward<" + T + ", " + OperatorType(l.Activation) + ">(" + x + ", " + y + ", " + Activations.Forward(l.Activation, T) + ");");
                    break;
                case LayerKind.LayerNorm:
                    Body(head + y + " = (" + x + " − mean) / √(var + ε) · weight + bias per row, [batch, " + Text(l.Outputs) + "]");
                    Body("LayerNorm.Forward<" + T + ">(" + x + ", network." + layer.Weight.Property + ", network." + layer.Bias!.Property + ", " + y + ", "
                        + layer.ExtraBuffer("Mean").Local + ", " + layer.ExtraBuffer("Rstd").Local + ", batch, " + Text(l.Outputs) + ", " + Literal(l.Value) + ");");
                    break;
                case LayerKind.Dropout:
                    Body(head + y + " = " + x + " ⊙ mask / (1 − p) when training, else " + x + ", [batch, " + Text(l.Outputs) + "]");
                    Body("Dropout.Forward<" + T + ">(" + x + ", " + y + ", " + layer.ExtraBuffer("Mask").Local + ", " + Literal(l.Value) + ", " + Text(l.Seed) + "UL, stream, step, training);");
                    break;
                default:
                    WriteSpatialForward(layer, head, x, y);
                    break;
            }
        }

        private string DenseForward(LayerPlan layer, string x, string bias, string y, ActivationKind activation)
        {
            var l = layer.Layer;
            return "Dense.Forward<" + T + ", " + OperatorType(activation) + ">(" + x + ", network." + plan.Read(layer.Weight).Property + ", " + bias + ", " + y
                + ", batch, " + Text(l.Inputs) + ", " + Text(l.Outputs) + ", " + Activations.Forward(activation, T) + ");";
        }

        private void WriteBackward()
        {
            Doc("Overwrites Gradients with d(mean loss)/dθ of the last Forward, walking the layers in reverse.");
            using (W.Block("public void Backward()"))
            {
                W.Line("NetworkArguments.CheckForwardRan(hasForward);");
                if (HasAdapters)
                {
                    WriteAdapterBackwardGuard();
                }

                W.Line("var batch = this.batch;");
                if (HasModes)
                {
                    W.Line("var training = forwardWasTraining;");
                }

                if (StopsBackwardEarly)
                {
                    W.Line("if (ComputeInputGradients)");
                    W.Line("{");
                    W.Line("    throw new InvalidOperationException(\"The image layers of an adapted network are frozen and get no backward pass, so it has no input gradients; clear ComputeInputGradients.\");");
                    W.Line("}");
                    W.Line();
                }

                W.Line("hasInputGradients = ComputeInputGradients;");
                Body(string.Empty);
                Body("// the loss already left d(mean loss)/d(logits) in " + plan.Layers[plan.Layers.Count - 1].OutputGradient.Local);
                var lowest = StopsBackwardEarly ? plan.LowestTrainedLayer : 0;
                if (lowest > 0)
                {
                    Body("// layers 0–" + Text(lowest - 1) + " are frozen and below every adapter: the backward stops at layer " + Text(lowest));
                }

                for (var i = plan.Layers.Count - 1; i >= lowest; i--)
                {
                    Body(string.Empty);
                    WriteLayerBackward(plan.Layers[i]);
                }

                FlushBody(plan.Buffers, "batch");
            }

            W.Line();
        }

        private void WriteLayerBackward(LayerPlan layer)
        {
            var l = layer.Layer;
            var x = layer.Index == 0 ? plan.Inputs.Local : plan.Layers[layer.Index - 1].Output.Local;
            var dy = layer.OutputGradient.Local;
            var dx = layer.Index == 0 ? plan.InputGradients.Local : plan.Layers[layer.Index - 1].OutputGradient.Local;
            var head = "// layer " + Text(layer.Index) + " backward: " + Describe(l) + ". ";
            switch (l.Kind)
            {
                case LayerKind.Dense:
                    // A frozen base layer (adapters declared) gets no weight or bias gradient: the layer only passes dX on.
                    var frozenLayer = HasAdapters && !IsTrained(layer);
                    var dBias = layer.Bias is { } b && !frozenLayer ? plan.Read(b).Property + "Gradient" : "Span<" + T + ">.Empty";
                    // The first layer's input gradient is optional: it costs a GEMM nobody needs in training. Below the
                    // lowest layer an early-stopping backward reaches, nobody reads it at all.
                    var dxArgument = StopsBackwardEarly && layer.Index == plan.LowestTrainedLayer ? "Span<" + T + ">.Empty"
                        : layer.Index == 0 ? "hasInputGradients ? " + dx + " : Span<" + T + ">.Empty" : dx;
                    var shapes = frozenLayer
                        ? "W and b frozen: only " + dx + " = dZ·Wᵀ"
                        : "dW [" + Text(l.Inputs) + ", " + Text(l.Outputs) + "] = " + x + "ᵀ·dZ, " + (layer.Bias is null ? "" : "db = column sums of dZ, ") + dx + " = dZ·Wᵀ";
                    var common = x + ", network." + plan.Read(layer.Weight).Property;
                    var dWeight = frozenLayer ? "Span<" + T + ">.Empty" : plan.Read(layer.Weight).Property + "Gradient";
                    var tail = dWeight + ", " + dBias + ", " + dxArgument + ", batch, " + Text(l.Inputs) + ", " + Text(l.Outputs);
                    if (l.Activation == ActivationKind.None)
                    {
                        Body(head + "dZ = " + dy + "; " + shapes);
                        Body("Dense.Backward<" + T + ">(" + common + ", " + dy + ", " + tail + ");");
                    }
                    else
                    {
                        var saved = Activations.SavesInput(l.Activation) ? layer.ExtraBuffer("Z").Local : layer.Output.Local;
                        Body(head + "dZ = " + dy + " ⊙ " + Activations.Derivative(l.Activation) + " (in place); " + shapes);
                        Body("Dense.Backward<" + T + ", " + BackwardOperatorType(l.Activation) + ">(" + common + ", " + saved + ", " + dy + ", " + tail + ", " + Activations.Backward(l.Activation, T) + ");");
                    }

                    if (plan.AdapterOf(layer.Index) is { } adapter)
                    {
                        WriteAdapterBackward(adapter, x, dy, dxArgument);
                    }

                    break;
                case LayerKind.Activation:
                    var savedActivation = Activations.SavesInput(l.Activation) ? x : layer.Output.Local;
                    Body(head + dx + " = " + dy + " ⊙ " + Activations.Derivative(l.Activation));
                    Body("ActivationLayer.Backward<" + T + ", " + BackwardOperatorType(l.Activation) + ">(" + dy + ", " + savedActivation + ", " + dx + ", " + Activations.Backward(l.Activation, T) + ");");
                    break;
                case LayerKind.LayerNorm:
                    Body(head + "d(weight), d(bias) summed over rows; " + dx + " [batch, " + Text(l.Outputs) + "] through the normalization");
                    var (dWeightNorm, dBiasNorm) = plan.FrozenNormGradients.TryGetValue(layer.Index, out var frozen)
                        ? (frozen.Weight.Local, frozen.Bias.Local)
                        : (layer.Weight.Property + "Gradient", layer.Bias!.Property + "Gradient");
                    Body("LayerNorm.Backward<" + T + ">(" + x + ", " + dy + ", network." + layer.Weight.Property + ", " + layer.ExtraBuffer("Mean").Local + ", " + layer.ExtraBuffer("Rstd").Local + ", "
                        + dWeightNorm + ", " + dBiasNorm + ", " + dx + ", " + layer.ExtraBuffer("Scratch").Local + ", batch, " + Text(l.Outputs) + ");");
                    break;
                case LayerKind.Dropout:
                    Body(head + dx + " = " + dy + " ⊙ mask / (1 − p) when the forward was training, else " + dy);
                    Body("Dropout.Backward<" + T + ">(" + dy + ", " + layer.ExtraBuffer("Mask").Local + ", " + dx + ", training);");
                    break;
                default:
                    WriteSpatialBackward(layer, head, x, dy, dx);
                    break;
            }
        }

        private string InputOf(LayerPlan layer) => layer.Index == 0 ? "x" : plan.Layers[layer.Index - 1].Output.Local;

        private string OperatorType(ActivationKind activation) => Activations.ForwardType(activation, T);

        private string BackwardOperatorType(ActivationKind activation) => Activations.BackwardType(activation, T);

        private static string Describe(LayerModel layer) => layer.Kind switch
        {
            LayerKind.Dense => "Dense " + Text(layer.Inputs) + " → " + Text(layer.Outputs)
                + (layer.Activation == ActivationKind.None ? "" : " + " + layer.Activation)
                + (layer.HasBias ? "" : ", no bias"),
            LayerKind.Activation => layer.Activation.ToString(),
            LayerKind.LayerNorm => "LayerNorm(" + Text(layer.Outputs) + ")",
            LayerKind.Dropout => "Dropout(p = " + layer.Value.ToString("R", CultureInfo.InvariantCulture) + ")",
            _ => DescribeSpatial(layer),
        };

        /// <summary>The initializer of one layer's LayerInfo; tensors are referenced by their index in TensorLayout.</summary>
        private static string LayerInfo(LayerPlan layer, ref int tensorIndex)
        {
            var l = layer.Layer;
            var properties = new List<string>();
            if (l.Activation != ActivationKind.None)
            {
                properties.Add("Activation = Activation." + l.Activation);
            }

            if (layer.Tensors.Count > 0)
            {
                properties.Add("Weight = TensorLayout[" + Text(tensorIndex++) + "]");
            }

            if (layer.Tensors.Count > 1)
            {
                properties.Add("Bias = TensorLayout[" + Text(tensorIndex++) + "]");
            }

            if (l.Kind is LayerKind.LayerNorm or LayerKind.BatchNorm2D)
            {
                properties.Add("Epsilon = " + DoubleLiteral(l.Value));
            }
            else if (l.Kind == LayerKind.Dropout)
            {
                properties.Add("DropoutProbability = " + DoubleLiteral(l.Value));
            }

            if (l.Spatial is { } image)
            {
                properties.Add("Channels = " + Text(image.Channels) + ", Height = " + Text(image.Height) + ", Width = " + Text(image.Width));
                if (image.Kernel > 0)
                {
                    properties.Add("Kernel = " + Text(image.Kernel) + ", Stride = " + Text(image.Stride) + ", Padding = " + Text(image.Padding));
                }
            }

            var info = "new(LayerKind." + l.Kind + ", " + Text(l.Inputs) + ", " + Text(l.Outputs) + ")";
            return properties.Count == 0 ? info : info + " { " + string.Join(", ", properties) + " }";
        }

        private static string LossName(LossKind loss) => loss switch
        {
            LossKind.SoftmaxCrossEntropy => "softmax cross-entropy",
            LossKind.MeanSquaredError => "mean squared error",
            _ => "binary cross-entropy with logits",
        };

        private static string Lower(ActivationKind activation) => activation.ToString().ToLowerInvariant();
    }
}
