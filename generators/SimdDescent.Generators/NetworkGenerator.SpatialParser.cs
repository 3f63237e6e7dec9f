using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis;
using SimdDescent.Generators.Model;

namespace SimdDescent.Generators;

public sealed partial class NetworkGenerator
{
    /// <summary>
    /// The image half of the parser: the declared input shape, the layers that read images, and the shape
    /// each produces, so every size is known and every misfit reported at compile time.
    /// </summary>
    private sealed partial class Parser
    {
        // The image the layers read so far, [channels, height, width]; null once rows (or no image was declared).
        private Image? image;

        // Whether a [Flatten] or [GlobalAvgPool] (or a row layer) already turned the image into rows.
        private bool flattened;

        // One misplaced layer is reported once, not again for every image layer after it.
        private bool shapeReported;

        private static bool IsSpatial(string name) =>
            name is "Conv2D" or "MaxPool2D" or "AvgPool2D" or "GlobalAvgPool" or "BatchNorm2D" or "Flatten";

        /// <summary>Features per input row: Inputs, or Channels · Height · Width for an image input.</summary>
        private int ReadInputs(AttributeData network)
        {
            if (Named(network, "Channels") is null && Named(network, "Height") is null && Named(network, "Width") is null)
            {
                return PositiveInt(network, "Inputs", "Network(Inputs = …)");
            }

            var channels = PositiveInt(network, "Channels", "Network(Channels = …)");
            var height = PositiveInt(network, "Height", "Network(Height = …)");
            var width = PositiveInt(network, "Width", "Network(Width = …)");
            image = new Image(channels, height, width);
            var inputs = channels * height * width;
            if (Named(network, "Inputs") is { Value: int declared } && declared != inputs)
            {
                Report(DiagnosticDescriptors.InputShapeMismatch, network, Text(declared), Text(inputs));
            }

            return inputs;
        }

        /// <summary>Dense and LayerNorm read rows: an image before them is reported once, then read as rows.</summary>
        private void RequireRows(AttributeData attribute, string name)
        {
            if (image is { } shape)
            {
                Report(DiagnosticDescriptors.NeedsRows, attribute, name, Text(shape.Channels) + ", " + Text(shape.Height) + ", " + Text(shape.Width));
                image = null;
                flattened = true;
                shapeReported = true;
            }
        }

        private LayerModel? ReadSpatialLayer(AttributeData attribute, string name, List<AttributeData> declared, int index)
        {
            if (image is not { } shape)
            {
                if (shapeReported)
                {
                    return null;
                }

                shapeReported = true;
                Report(DiagnosticDescriptors.NeedsImage, attribute, name,
                    flattened ? "the image was already turned into rows before it" : "the network declares no image input",
                    flattened ? "move it before [Flatten] or [GlobalAvgPool]" : "declare the input as Network(Channels = …, Height = …, Width = …)");
                return null;
            }

            var plane = new SpatialModel(shape.Channels, shape.Height, shape.Width, shape.Channels, shape.Height, shape.Width, 0, 0, 0, 0);
            var inputs = shape.Channels * shape.Height * shape.Width;
            switch (name)
            {
                case "Conv2D":
                    return ReadConvolution(attribute, shape, declared, index);
                case "MaxPool2D" or "AvgPool2D":
                    return ReadPooling(attribute, name, shape);
                case "BatchNorm2D":
                    var epsilon = Epsilon(attribute, name);
                    var momentum = Named(attribute, "Momentum") is { Value: double m } ? m : 0.1;
                    if (!(momentum > 0 && momentum <= 1))
                    {
                        Report(DiagnosticDescriptors.OutOfRange, attribute, "BatchNorm2D Momentum", Format(momentum), "in (0, 1], e.g. 0.1");
                    }

                    return new LayerModel(LayerKind.BatchNorm2D, inputs, inputs, ActivationKind.None, true, InitializerKind.Auto, epsilon, 0)
                    {
                        Spatial = plane with { Momentum = momentum },
                    };
                case "GlobalAvgPool":
                    image = null;
                    flattened = true;
                    return new LayerModel(LayerKind.GlobalAvgPool, inputs, shape.Channels, ActivationKind.None, false, InitializerKind.Auto, 0, 0)
                    {
                        Spatial = plane with { OutputHeight = 1, OutputWidth = 1 },
                    };
                default:
                    image = null;
                    flattened = true;
                    return new LayerModel(LayerKind.Flatten, inputs, inputs, ActivationKind.None, false, InitializerKind.Auto, 0, 0) { Spatial = plane };
            }
        }

        private LayerModel? ReadConvolution(AttributeData attribute, Image shape, List<AttributeData> declared, int index)
        {
            var filters = Constructor(attribute, 0) is { Value: int f } ? f : 0;
            var kernel = Constructor(attribute, 1) is { Value: int k } ? k : 0;
            var activation = ReadActivation(attribute, Constructor(attribute, 2), "Conv2D activation", allowNone: true);
            var stride = Named(attribute, "Stride") is { Value: int s } ? s : 1;
            var padding = Named(attribute, "Padding") is { Value: int p } ? p : 0;
            var valid = Positive(attribute, "Conv2D filters", filters) & Positive(attribute, "Conv2D kernel", kernel) & Positive(attribute, "Conv2D Stride", stride);
            if (padding < 0)
            {
                Report(DiagnosticDescriptors.OutOfRange, attribute, "Conv2D Padding", Text(padding), "0 or more");
                valid = false;
            }

            if (!valid || !Fits(attribute, "Conv2D", kernel, shape, padding))
            {
                return null;
            }

            var initializer = ReadInitializer(attribute);
            if (initializer == InitializerKind.Auto)
            {
                initializer = IsReluFamily(EffectiveActivation(activation, declared, index)) ? InitializerKind.He : InitializerKind.Glorot;
            }

            var height = ((shape.Height + (2 * padding) - kernel) / stride) + 1;
            var width = ((shape.Width + (2 * padding) - kernel) / stride) + 1;
            image = new Image(filters, height, width);
            return new LayerModel(LayerKind.Conv2D, shape.Channels * shape.Height * shape.Width, filters * height * width,
                activation, Named(attribute, "Bias") is not { Value: false }, initializer, 0, 0)
            {
                Spatial = new SpatialModel(shape.Channels, shape.Height, shape.Width, filters, height, width, kernel, stride, padding, 0),
            };
        }

        private LayerModel? ReadPooling(AttributeData attribute, string name, Image shape)
        {
            var kernel = Constructor(attribute, 0) is { Value: int k } ? k : 0;
            var stride = Named(attribute, "Stride") is { Value: int s } ? s : kernel;
            if (!(Positive(attribute, name + " kernel", kernel) & Positive(attribute, name + " Stride", stride)) || !Fits(attribute, name, kernel, shape, 0))
            {
                return null;
            }

            var height = ((shape.Height - kernel) / stride) + 1;
            var width = ((shape.Width - kernel) / stride) + 1;
            image = shape with { Height = height, Width = width };
            var kind = name == "MaxPool2D" ? LayerKind.MaxPool2D : LayerKind.AvgPool2D;
            return new LayerModel(kind, shape.Channels * shape.Height * shape.Width, shape.Channels * height * width, ActivationKind.None, false, InitializerKind.Auto, 0, 0)
            {
                Spatial = new SpatialModel(shape.Channels, shape.Height, shape.Width, shape.Channels, height, width, kernel, stride, 0, 0),
            };
        }

        /// <summary>Whether a kernel × kernel window fits the image padded by <paramref name="padding"/>; reports it if not.</summary>
        private bool Fits(AttributeData attribute, string name, int kernel, Image shape, int padding)
        {
            var largest = Math.Min(shape.Height, shape.Width) + (2 * padding);
            if (kernel <= largest)
            {
                return true;
            }

            Report(DiagnosticDescriptors.WindowDoesNotFit, attribute, name, Text(kernel), Text(shape.Height), Text(shape.Width),
                padding > 0 ? " padded by " + Text(padding) + " on each side" : string.Empty, Text(largest),
                name == "Conv2D" ? " or more padding" : " or pool earlier");
            return false;
        }

        private double Epsilon(AttributeData attribute, string name)
        {
            var epsilon = Named(attribute, "Epsilon") is { Value: double e } ? e : 1e-5;
            if (!(epsilon > 0) || double.IsInfinity(epsilon))
            {
                Report(DiagnosticDescriptors.OutOfRange, attribute, name + " Epsilon", Format(epsilon), "a positive finite number such as 1e-5");
            }

            return epsilon;
        }

        private bool Positive(AttributeData attribute, string what, int value)
        {
            if (value > 0)
            {
                return true;
            }

            Report(DiagnosticDescriptors.NonPositiveSize, attribute, what, Text(value));
            return false;
        }

        private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);

        /// <summary>An image's shape per sample.</summary>
        private readonly record struct Image(int Channels, int Height, int Width);
    }
}
