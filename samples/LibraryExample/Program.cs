using Engine.Activations;
using Engine.Data;
using Engine.Losses;
using Engine.Networks;
using Engine.Training;
using Engine.Verification;

var (train, test) = Split.Stratified(CsvReader.ReadFile("data/iris.csv"), testFraction: 0.2, seed: 1);
var standardizer = Standardizer.Fit(train);
(train, test) = (standardizer.Transform(train), standardizer.Transform(test));
var network = Network.Dense([4, 8, 3], new Tanh(), new Softmax());
network.Initialize(WeightInitialization.Glorot, seed: 1);
var loss = new SparseCategoricalCrossEntropy();
Trainer.Train(network, loss, train, new TrainingOptions { LearningRate = 0.1, BatchSize = 16, Epochs = 100, Seed = 1 });
var (testLoss, accuracy) = Evaluation.Evaluate(network, loss, test);
var check = GradientCheck.Run(network, loss, test.Features, test.Targets, test.Count);
Console.WriteLine($"test loss {testLoss:F4}, accuracy {accuracy:F4}; every gradient matches finite differences: {check.Passed}");
