using System.Linq;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

public sealed partial class NetworkGenerator
{
    /// <summary>The image layers' part of the emitter: their forward and backward calls, descriptions and running statistics.</summary>
    internal sealed partial class Emitter
    {
        private bool HasBatchNorm => model.Layers.Any(l => l.Kind == LayerKind.BatchNorm2D);

        // Dropout and batch normalization behave differently in training and inference, backward included.
        private bool HasModes => HasDropout || HasBatchNorm;

        // An adapted network's statistics belong to its frozen base: Base carries the interface, so adapter files leave them out.
        private string StatisticsInterface => plan.StatisticsLength == 0 || HasAdapters ? string.Empty : ", IModelStatistics<" + T + ">";

        private static string Shape(int channels, int height, int width) =>
            "[batch, " + Text(channels) + ", " + Text(height) + ", " + Text(width) + "]";

        private static string DescribeSpatial(LayerModel layer)
        {
            var s = layer.Spatial!;
            return layer.Kind switch
            {
                LayerKind.Conv2D => "Conv2D " + Text(s.Channels) + " → " + Text(s.OutputChannels) + ", " + Text(s.Kernel) + "×" + Text(s.Kernel)
                    + ", stride " + Text(s.Stride) + ", padding " + Text(s.Padding)
                    + (layer.Activation == ActivationKind.None ? "" : " + " + layer.Activation)
                    + (layer.HasBias ? "" : ", no bias"),
                LayerKind.MaxPool2D or LayerKind.AvgPool2D => layer.Kind + " " + Text(s.Kernel) + "×" + Text(s.Kernel) + ", stride " + Text(s.Stride),
                LayerKind.BatchNorm2D => "BatchNorm2D(" + Text(s.Channels) + ")",
                LayerKind.GlobalAvgPool => "GlobalAvgPool",
                _ => "Flatten",
            };
        }

        private string ConvShape(SpatialModel s) =>
            "new Conv2DShape(batch, " + Text(s.Channels) + ", " + Text(s.Height) + ", " + Text(s.Width) + ", " + Text(s.OutputChannels) + ", "
            + Text(s.Kernel) + ", " + Text(s.Kernel) + ", " + Text(s.Stride) + ", " + Text(s.Padding) + ")";

        private static string PoolShape(SpatialModel s) =>
            "new Pool2DShape(batch, " + Text(s.Channels) + ", " + Text(s.Height) + ", " + Text(s.Width) + ", " + Text(s.Kernel) + ", " + Text(s.Stride) + ")";

        private static string Planes(SpatialModel s) => "batch * " + Text(s.Channels) + ", " + Text(s.PlaneSize);

        private void WriteSpatialForward(LayerPlan layer, string head, string x, string y)
        {
            var l = layer.Layer;
            var s = l.Spatial!;
            var shapes = x + " " + Shape(s.Channels, s.Height, s.Width) + " → " + y + " " + Shape(s.OutputChannels, s.OutputHeight, s.OutputWidth);
            switch (l.Kind)
            {
                case LayerKind.Conv2D:
                    var bias = layer.Bias is { } b ? "network." + b.Property : "ReadOnlySpan<" + T + ">.Empty";
                    var target = Activations.SavesInput(l.Activation) ? layer.ExtraBuffer("Z").Local : y;
                    var fused = Activations.SavesInput(l.Activation) ? ActivationKind.None : l.Activation;
                    Body(head + shapes + ": per image im2col, then one GEMM with the activation fused");
                    Body("Conv2D.Forward<" + T + ", " + OperatorType(fused) + ">(" + ConvShape(s) + ", " + x + ", network." + layer.Weight.Property + ", " + bias + ", "
                        + target + ", " + layer.ExtraBuffer("Columns").Local + ", " + Activations.Forward(fused, T) + ");");
                    if (target != y)
                    {
                        Body("ActivationLayer.Forward<" + T + ", " + OperatorType(l.Activation) + ">(" + target + ", " + y + ", " + Activations.Forward(l.Activation, T) + ");");
                    }

                    break;
                case LayerKind.MaxPool2D or LayerKind.AvgPool2D:
                    Body(head + shapes);
                    Body(l.Kind + ".Forward<" + T + ">(" + PoolShape(s) + ", " + x + ", " + y + ");");
                    break;
                case LayerKind.GlobalAvgPool:
                    Body(head + shapes + ", one mean per channel plane");
                    Body("GlobalAvgPool.Forward<" + T + ">(" + x + ", " + y + ", " + Planes(s) + ");");
                    break;
                case LayerKind.BatchNorm2D:
                    var stats = plan.Statistics.First(p => p.Layer == layer.Index);
                    var parameters = x + ", network." + layer.Weight.Property + ", network." + layer.Bias!.Property + ", ";
                    var running = "network.Running(" + Text(stats.Offset) + ", " + Text(s.Channels) + "), network.Running(" + Text(stats.VarianceOffset) + ", " + Text(s.Channels) + ")";
                    var saved = layer.ExtraBuffer("Mean").Local + ", " + layer.ExtraBuffer("Rstd").Local;
                    var sizes = "batch, " + Text(s.Channels) + ", " + Text(s.PlaneSize) + ", " + Literal(l.Value);
                    if (HasAdapters)
                    {
                        // A frozen base keeps its statistics too: an adapted network normalizes with the running ones even in training.
                        Body(head + shapes + ": frozen, so always the running statistics");
                        Body("BatchNorm2D.Infer<" + T + ">(" + parameters + running + ", " + y + ", " + saved + ", " + sizes + ");");
                        break;
                    }

                    Body(head + shapes + ": batch statistics (and running ones updated) when training, running statistics otherwise");
                    Body("if (training)");
                    Body("{");
                    Body("    BatchNorm2D.Forward<" + T + ">(" + parameters + y + ", " + saved + ", " + running + ", " + sizes + ", " + Literal(s.Momentum) + ");");
                    Body("    network.Running(" + Text(stats.CountOffset) + ", 1)[0] += " + One() + "; // num_batches_tracked");
                    Body("}");
                    Body("else");
                    Body("{");
                    Body("    BatchNorm2D.Infer<" + T + ">(" + parameters + running + ", " + y + ", " + saved + ", " + sizes + ");");
                    Body("}");
                    break;
                default:
                    Body(head + shapes + " as rows of " + Text(l.Outputs) + " (the same memory order)");
                    Body(x + ".CopyTo(" + y + ");");
                    break;
            }
        }

        private void WriteSpatialBackward(LayerPlan layer, string head, string x, string dy, string dx)
        {
            var l = layer.Layer;
            var s = l.Spatial!;
            switch (l.Kind)
            {
                case LayerKind.Conv2D:
                    var dBias = layer.Bias is { } b ? b.Property + "Gradient" : "Span<" + T + ">.Empty";
                    var dxArgument = layer.Index == 0 ? "hasInputGradients ? " + dx + " : Span<" + T + ">.Empty" : dx;
                    var common = ConvShape(s) + ", " + x + ", network." + layer.Weight.Property;
                    var tail = layer.ExtraBuffer("Columns").Local + ", " + layer.Weight.Property + "Gradient, " + dBias + ", " + dxArgument;
                    var shapes = "dW [" + Text(s.OutputChannels) + ", " + Text(s.Channels) + ", " + Text(s.Kernel) + ", " + Text(s.Kernel) + "] = Σ dZ·columnsᵀ, "
                        + (layer.Bias is null ? "" : "db = sums of dZ per filter, ") + dx + " = col2im(Wᵀ·dZ)";
                    if (l.Activation == ActivationKind.None)
                    {
                        Body(head + "dZ = " + dy + "; " + shapes);
                        Body("Conv2D.Backward<" + T + ">(" + common + ", " + dy + ", " + tail + ");");
                    }
                    else
                    {
                        var saved = Activations.SavesInput(l.Activation) ? layer.ExtraBuffer("Z").Local : layer.Output.Local;
                        Body(head + "dZ = " + dy + " ⊙ " + Activations.Derivative(l.Activation) + " (in place); " + shapes);
                        Body("Conv2D.Backward<" + T + ", " + BackwardOperatorType(l.Activation) + ">(" + common + ", " + saved + ", " + dy + ", " + tail + ", " + Activations.Backward(l.Activation, T) + ");");
                    }

                    break;
                case LayerKind.MaxPool2D:
                    Body(head + dx + " = " + dy + " routed to each window's first maximum in " + x);
                    Body("MaxPool2D.Backward<" + T + ">(" + PoolShape(s) + ", " + x + ", " + dy + ", " + dx + ");");
                    break;
                case LayerKind.AvgPool2D:
                    Body(head + dx + " = " + dy + " spread evenly over each window");
                    Body("AvgPool2D.Backward<" + T + ">(" + PoolShape(s) + ", " + dy + ", " + dx + ");");
                    break;
                case LayerKind.GlobalAvgPool:
                    Body(head + dx + " = " + dy + " / " + Text(s.PlaneSize) + " over each plane");
                    Body("GlobalAvgPool.Backward<" + T + ">(" + dy + ", " + dx + ", " + Planes(s) + ");");
                    break;
                case LayerKind.BatchNorm2D:
                    Body(head + "d(weight), d(bias) per channel; " + dx + " through the batch statistics when the forward was training");
                    Body("BatchNorm2D.Backward<" + T + ">(" + x + ", " + dy + ", network." + layer.Weight.Property + ", " + layer.ExtraBuffer("Mean").Local + ", " + layer.ExtraBuffer("Rstd").Local + ", "
                        + layer.Weight.Property + "Gradient, " + layer.Bias!.Property + "Gradient, " + dx + ", batch, " + Text(s.Channels) + ", " + Text(s.PlaneSize) + ", training);");
                    break;
                default:
                    Body(head + dx + " = " + dy + " (the same memory order)");
                    Body(dy + ".CopyTo(" + dx + ");");
                    break;
            }
        }

        /// <summary>The running-statistics arena of batch normalization: outside the parameters, so no optimizer or gradient check touches it.</summary>
        private void WriteStatistics()
        {
            if (plan.StatisticsLength == 0)
            {
                return;
            }

            W.Line("// Running statistics of batch normalization, saved with the weights under PyTorch's buffer names.");
            W.Line("private static readonly IReadOnlyList<TensorInfo> StatisticsLayout = new TensorInfo[]");
            W.Line("{");
            foreach (var stats in plan.Statistics)
            {
                var name = "layer" + Text(stats.Layer) + ".";
                var channels = "ImmutableArray.Create(" + Text(stats.Channels) + ")";
                W.Line("    new(\"" + name + "running_mean\", " + Text(stats.Offset) + ", " + channels + ") { PyTorchName = \"" + stats.SequentialIndex + ".running_mean\" },");
                W.Line("    new(\"" + name + "running_var\", " + Text(stats.VarianceOffset) + ", " + channels + ") { PyTorchName = \"" + stats.SequentialIndex + ".running_var\" },");
                W.Line("    new(\"" + name + "num_batches_tracked\", " + Text(stats.CountOffset) + ", ImmutableArray<int>.Empty) { PyTorchName = \"" + stats.SequentialIndex + ".num_batches_tracked\" },");
            }

            W.Line("};");
            W.Line();
            W.Line("private readonly " + T + "[] statistics = new " + T + "[" + Text(plan.StatisticsLength) + "];");
            W.Line();
            Doc("The running statistics' tensors (running_mean, running_var, num_batches_tracked per batch normalization).");
            W.Line("public IReadOnlyList<TensorInfo> StatisticTensors => StatisticsLayout;");
            W.Line();
            Doc("The running statistics: updated by training forward passes, used in inference, saved with the weights.");
            W.Line("public Span<" + T + "> Statistics => statistics;");
            W.Line();
            W.Line("private Span<" + T + "> Running(int offset, int length) => statistics.AsSpan(offset, length);");
            W.Line();
        }

        private void WriteStatisticsInitialization()
        {
            foreach (var stats in plan.Statistics)
            {
                W.Line("// layer " + Text(stats.Layer) + ": running mean 0, running variance 1, no batches tracked");
                W.Line("Running(" + Text(stats.Offset) + ", " + Text(stats.Channels) + ").Clear();");
                W.Line("Running(" + Text(stats.VarianceOffset) + ", " + Text(stats.Channels) + ").Fill(" + One() + ");");
                W.Line("Running(" + Text(stats.CountOffset) + ", 1).Clear();");
            }
        }

        /// <summary>Fan-in and fan-out of a layer's weight for the initializers.</summary>
        private static (int In, int Out) Fans(LayerModel layer) => layer.Spatial is { } s && layer.Kind == LayerKind.Conv2D
            ? (s.PatchLength, s.OutputChannels * s.Kernel * s.Kernel)
            : (layer.Inputs, layer.Outputs);
    }
}
