using Engine.Activations;
using Engine.Data;
using Engine.Interop.Onnx;
using Engine.Losses;
using Engine.Networks;
using Engine.Serialization;
using Engine.Training;

// Train on every iris flower; save the network with the standardizer and the species' names.
var table = CsvReader.ReadFile("data/iris.csv");
var species = Classes.Infer(table);
var data = table.Classified(species);
var standardizer = Standardizer.Fit(data);
var network = Network.Dense([4, 8, 3], new Tanh(), new Softmax());
network.Initialize(WeightInitialization.Glorot, seed: 1);
var loss = new SparseCategoricalCrossEntropy();
Trainer.Train(network, loss, standardizer.Transform(data), new TrainingOptions { LearningRate = 0.1, BatchSize = 16, Epochs = 100, Seed = 1 });
Directory.CreateDirectory("runs");
ModelFile.Save("runs/iris.safetensors", new Model(network, loss, standardizer, new Dictionary<string, string>(), species));

// Later, elsewhere: load the model and name the species of three flowers it has not seen.
var model = ModelFile.Load("runs/iris.safetensors");
double[][] flowers = [[5.0, 3.3, 1.5, 0.3], [6.1, 2.8, 4.4, 1.3], [6.8, 3.1, 5.7, 2.2]];
var outputs = model.Network.Forward(model.Standardizer!.Transform(flowers.SelectMany(f => f).ToArray()), batch: flowers.Length);
for (int i = 0; i < flowers.Length; i++)
{
    var probabilities = outputs.Slice(i * model.Network.OutputSize, model.Network.OutputSize);
    int predicted = model.Loss!.PredictClass(probabilities);
    Console.WriteLine($"{string.Join(", ", flowers[i].Select(x => x.ToString("F1")))}: {model.Classes!.Names[predicted]} ({probabilities[predicted]:P1})");
}

// The same model for other runtimes: ONNX, the standardizer inside the graph.
OnnxExport.Save("runs/iris.onnx", OnnxExport.ToModel(model.Network, model.Standardizer));
Console.WriteLine("wrote runs/iris.safetensors and runs/iris.onnx");
