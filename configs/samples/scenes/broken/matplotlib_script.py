import matplotlib.pyplot as plt
import numpy as np

t = np.linspace(0, 10, 500)
y = np.exp(-0.3 * t) * np.cos(2 * np.pi * t)
plt.plot(t, y)
plt.title("Damped oscillation")
plt.savefig("damped.png")
