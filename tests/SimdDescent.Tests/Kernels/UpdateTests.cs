using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Kernels;

/// <summary><see cref="Blas.Update{T, TOperator}"/> with an update operator written as a user would.</summary>
public sealed class UpdateTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Every_element_is_updated_once_as_the_scalar_formula_says(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(3);
        foreach (var n in Paths.Lengths())
        {
            // At an odd offset, so the driver's peel up to an aligned register has work to do.
            var parameters = TestArrays.Random<float>(random, n).At(1, n);
            var gradients = TestArrays.Random<float>(random, n, offset: 0);
            var velocity = TestArrays.Random<float>(random, n, offset: 0);
            var expectedParameters = parameters.ToArray();
            var expectedVelocity = velocity.ToArray();
            for (var i = 0; i < n; i++)
            {
                expectedVelocity[i] = (0.9f * expectedVelocity[i]) + gradients[i];
                expectedParameters[i] -= 0.1f * expectedVelocity[i];
            }

            Blas.Update(new MomentumOperator(0.9f, 0.1f), parameters, gradients, velocity, [], []);

            Assert.Equal(expectedVelocity, velocity);
            Assert.Equal(expectedParameters, parameters.ToArray());
        }
    }

    [Fact]
    public void Arenas_of_the_wrong_length_are_rejected()
    {
        var parameters = new float[8];
        var op = new MomentumOperator(0.9f, 0.1f);

        var gradients = Assert.Throws<ArgumentException>(() => Blas.Update(op, parameters, new float[7], new float[8], [], []));
        Assert.Equal("gradients", gradients.ParamName);
        var state = Assert.Throws<ArgumentException>(() => Blas.Update(op, parameters, new float[8], new float[9], [], []));
        Assert.Equal("state0", state.ParamName);
        Assert.Throws<ArgumentException>(() => Blas.Update(new TooManyStates(), parameters, new float[8], new float[8], new float[8], new float[8]));
        Assert.Equal(new float[8], parameters);
    }

    /// <summary>v ← μv + g; θ ← θ − γv, without FMA so the scalar formula is bitwise the same.</summary>
    private readonly struct MomentumOperator(float momentum, float learningRate) : IUpdateOperator<float>
    {
        public int StateCount => 1;

        public void Update<TWidth, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
            where TWidth : struct, ISimdWidth<float, TVector>
            where TVector : struct
        {
            state0 = TWidth.Add(TWidth.Multiply(TWidth.Broadcast(momentum), state0), gradient);
            parameter = TWidth.Subtract(parameter, TWidth.Multiply(TWidth.Broadcast(learningRate), state0));
        }
    }

    private readonly struct TooManyStates : IUpdateOperator<float>
    {
        public int StateCount => 4;

        public void Update<TWidth, TVector>(ref TVector parameter, TVector gradient, ref TVector state0, ref TVector state1, ref TVector state2)
            where TWidth : struct, ISimdWidth<float, TVector>
            where TVector : struct
            => parameter = gradient;
    }
}
